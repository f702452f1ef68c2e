// PostGraphile v5 (amber preset) over the bench database's copy, for bench:graphql. It runs on
// the Node 22 that bench:graphql installs beside PostGraphile (postgraphile.ts), and takes its
// packages from that install, not from the project's dependencies:
//
//   node postgraphile-server.mjs <install dir> <database url> <pool size>
//
// Plain defaults: no GraphiQL, no watch mode, no JWT or RLS — PostGraphile as it answers out of
// the box, connected as the database's owner.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

const [installDir, connectionString, poolSize] = process.argv.slice(2);
if (!installDir || !connectionString || !poolSize) {
  throw new Error("usage: postgraphile-server.mjs <install dir> <database url> <pool size>");
}
const require = createRequire(path.join(path.resolve(installDir), "package.json"));
const { postgraphile } = require("postgraphile");
const { PostGraphileAmberPreset } = require("postgraphile/presets/amber");
const { makePgService } = require("postgraphile/adaptors/pg");
const { grafserv } = require("postgraphile/grafserv/node");

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({ connectionString, schemas: ["public"], poolConfig: { max: Number(poolSize) } }),
  ],
  grafserv: { graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: { explain: false },
});
const server = createServer();
await pgl.createServ(grafserv).addTo(server);
// Built before it listens, so the first request measures a ready schema.
await pgl.getSchema();
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    void pgl.release().then(() => process.exit(0));
  });
}
