// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database
// under LAKE_DATA_DIR when it is unset. The app also does this at start.
import { startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { applyMigrations } from "../server/db/migrations";
import { env } from "../server/env";

const config = env();
const embedded = config.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: `${config.dataDir}/pg` });
try {
  const applied = await applyMigrations(config.DATABASE_URL ?? embedded!.url);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
} finally {
  await embedded?.close();
}
