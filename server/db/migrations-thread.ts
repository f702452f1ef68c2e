// Runs in a worker thread of its own (database.ts): Prisma's schema engine is a WebAssembly
// module of ~50 MB resident once instantiated, which a process would otherwise keep for its whole
// life to apply migrations once at start.
import { applyMigrations } from "./migrations";

export default function applyMigrationsTask(connectionString: string): Promise<string[]> {
  return applyMigrations(connectionString);
}
