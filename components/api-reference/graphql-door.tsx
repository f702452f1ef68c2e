import Link from "next/link";

import { Card } from "@/components/ui/card";

import { CodeBlock } from "./code-block";
import { MarkdownText } from "./markdown-text";
import styles from "./protocol-doc.module.css";

export type GraphqlLimits = {
  origin: string;
  maxCost: number;
  maxBatch: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  cacheTtlSeconds: number;
};

/** The GraphQL door: endpoint, authentication, the schema's entry points, limits, subscriptions. */
export function GraphqlDoor({ limits }: { limits: GraphqlLimits }) {
  return (
    <div className={styles.doc}>
      <Card title="Endpoint" id="endpoint">
        <MarkdownText
          text={`\`POST\` (or \`GET\` for queries) \`/api/v1/lake/graphql\`, on the same services as REST: every permission, API key scope and \`owner_only\` policy holds unchanged. It authenticates like REST — \`Authorization: Bearer <token or API key>\`, \`X-API-Key\`, or the console's session — and each request is charged to the data API's rate limit, with the same \`RateLimit-*\` headers.`}
        />
        <p>
          <Link href="/query">Open the Query page</Link> to run operations as yourself, with the
          schema&apos;s documentation, completion, variables and history (GraphiQL).
        </p>
        <CodeBlock
          label="A query with curl"
          code={`curl -s ${limits.origin}/api/v1/lake/graphql -H "Authorization: Bearer $LAKE_TOKEN" \\
  -H 'Content-Type: application/json' \\
  -d '{"query": "{ me { id email } datasets { id name } }"}'`}
        />
      </Card>

      <Card title="Schema" id="schema">
        <MarkdownText
          text={`The schema documents itself (introspection; in production only the console's own session may introspect unless \`LAKE_GRAPHQL_INTROSPECTION\` says otherwise). Its entry points:

- \`userData(userId)\` — a user's records across datasets, with REST's filter, order and cursor syntax; \`payload(paths:)\` selects payload paths.
- \`analytics(timeRange)\` — window series of an aggregation rule, and record activity.
- \`vectors(type)\` — embeddings of a type, or with \`similarTo\` the nearest ones.
- \`updateUserData\`, \`importData\`, \`archiveData\` / \`restoreData\` — changes through the same audited services as REST.
- \`record\`, \`records\`, \`datasets\`, \`dataset\`, \`importJob(s)\`, \`me\`. Record and import lists are connections (\`nodes\`, \`pageInfo { hasNextPage endCursor }\`, \`totalCount\`).

Errors carry the REST envelope's \`error_code\` in \`extensions.code\` (with \`details\`). The endpoint is also an Apollo Federation v2 subgraph (\`_service\`, \`_entities\`).`}
        />
      </Card>

      <Card title="Limits" id="limits">
        <MarkdownText
          text={`Checked before anything runs:

- at most **${limits.maxBatch}** operations in a batched request (a JSON array);
- depth **${limits.maxDepth}**, **${limits.maxAliases}** aliases, **${limits.maxTokens.toLocaleString("en")}** tokens, **${limits.maxDirectives}** directives;
- **cost** at most **${limits.maxCost.toLocaleString("en")}** (\`LAKE_GRAPHQL_MAX_COST\`): every field costs 1, a list multiplies by its page size; each result reports \`extensions.cost\`;
- expensive fields have their own hourly limit (\`@rateLimit\` in the SDL): over it that field is \`rate_limited\` and the rest still answers.

Query results are cached for ${limits.cacheTtlSeconds} s per caller's visibility and are never stale: any write anywhere invalidates what it changed. Automatic persisted queries (APQ) are supported; with \`LAKE_GRAPHQL_TRUSTED_DOCUMENTS\` only listed operations run.`}
        />
      </Card>

      <Card title="Subscriptions" id="subscriptions">
        <MarkdownText
          text={`\`recordChanges(dataset, filter, after)\`, \`events(topics, filter, after)\` and \`importProgress(id)\`, fed by the same event log as the stream, authorized per event; \`after\` resumes after an offset with no gap and no duplicate. Two transports on the same path:

- **GraphQL over SSE**: the same \`POST\` with \`Accept: text/event-stream\`.
- **graphql-ws** (subprotocol \`graphql-transport-ws\`) over a WebSocket to \`/api/v1/lake/graphql\`; the handshake authenticates like the stream's (headers, a \`lake.bearer.<credential>\` subprotocol, or the console's same-site session) and the credential is checked again periodically (close 1008 when it no longer holds).`}
        />
      </Card>
    </div>
  );
}
