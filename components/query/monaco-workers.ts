/**
 * Where Monaco (the editor inside GraphiQL) gets its web workers: the GraphQL language service,
 * JSON for the variables and response, and the base editor worker. The bundler emits each as a
 * same-origin chunk. What graphiql/setup-workers/webpack does, without its console line on every
 * worker. Imported for its effect, before the editor loads.
 */
Object.assign(globalThis, {
  MonacoEnvironment: {
    getWorker(_workerId: string, label: string) {
      switch (label) {
        case "graphql":
          return new Worker(new URL("monaco-graphql/esm/graphql.worker.js", import.meta.url));
        case "json":
          return new Worker(
            new URL("monaco-editor/esm/vs/language/json/json.worker.js", import.meta.url),
          );
        default:
          return new Worker(
            new URL("monaco-editor/esm/vs/editor/editor.worker.js", import.meta.url),
          );
      }
    },
  },
});
