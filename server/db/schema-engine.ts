import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";

/**
 * Prisma's own schema engine, from its WASM build. Prisma's CLI downloads a native engine before
 * `migrate` and cannot here (docs/decisions/0002-offline-migrations.md); the WASM engine is the
 * same code, so migrations keep Prisma's layout, SQL and `_prisma_migrations` bookkeeping.
 *
 * We instantiate the module ourselves instead of importing the package root, which imports a
 * `.wasm` file directly and so needs `--experimental-wasm-modules` on Node 20.
 */
let loaded: Promise<void> | undefined;

// The engine reports a Rust panic through this global before it throws; keep the message so the
// thrown error says what went wrong.
const panics = globalThis as typeof globalThis & {
  PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void; last?: string };
};
panics.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message: string) {
    this.last = message;
  },
};

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const file = glue.replace(/\.js$/, ".wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(file), {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

export type OpenSchemaEngine = {
  engine: bindings.SchemaEngine;
  /**
   * Frees the engine and closes its connections. Prisma's migration lock is a session-level
   * advisory lock: until its connection closes, the next migration in this process would wait
   * out the lock's 10 s timeout.
   */
  close: () => Promise<void>;
};

type ScriptRunner = {
  executeScript(script: string): Promise<void>;
  /** adapter-pg's own fields: its pool, and the mapping of a pg error to the engine's error. */
  client: pg.Pool;
  onError(error: unknown): never;
};

/**
 * adapter-pg runs a migration by splitting it on every ";", which cuts a function body (the
 * plpgsql of a trigger) into pieces PostgreSQL refuses. Prisma's native engine sends the whole
 * script as one simple query, in one implicit transaction; so does this.
 */
function runScriptsWhole<A>(adapter: A): A {
  const runner = adapter as A & ScriptRunner;
  runner.executeScript = async (script) => {
    try {
      await runner.client.query(script);
    } catch (error) {
      runner.onError(error);
    }
  };
  return adapter;
}

class WholeScriptPg extends PrismaPg {
  override async connect() {
    return runScriptsWhole(await super.connect());
  }
  override async connectToShadowDb() {
    return runScriptsWhole(await super.connectToShadowDb());
  }
}

/** Opens the engine on a schema, connected to a database (every command, even a diff, connects). */
export async function openSchemaEngine(options: {
  schema: string;
  connectionString: string;
}): Promise<OpenSchemaEngine> {
  await loadWasm();
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  pool.on("error", () => {});
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [["schema.prisma", options.schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(new WholeScriptPg(pool)),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await pool.end();
    },
  };
}
