// What bench:graphql asks each server, in its own language, for the same answer: (a) one record by
// id, (b) the 50 newest records of a dataset with their dataset and owner. The two GraphQL
// servers' answers have the same shape (PostGraphile's fields are aliased to the Lake's names).
import { type Scenario } from "./measure";

export type ServerName = "Lake GraphQL" | "Lake REST" | "PostGraphile";

/** One server's requests for one scenario, and how to read its answer for the comparison. */
export type Contender = {
  server: ServerName;
  baseUrl: string;
  headers: Record<string, string>;
  scenario: Scenario;
  /** What the three servers must agree on, from a sample answer. */
  digest(answer: unknown): unknown;
};

export type ScenarioKey = "byId" | "page";
export const SCENARIO_TITLES: Record<ScenarioKey, string> = {
  byId: "(a) a record by id",
  page: "(b) 50 records + dataset + owner",
};

/** Where the servers are, and the data they serve. */
export type Targets = {
  lakeUrl: string;
  apiKey: string;
  postgraphileUrl: string;
  datasetIds: string[];
  recordIds: string[];
};

const RECORD_FIELDS = "id datasetId ownerId payload archived archivedAt createdAt updatedAt";
const PAGE_NODE_FIELDS = "id payload createdAt dataset { id name } owner { id name }";

const LAKE_QUERIES = {
  byId: `query Record($id: ID!) { record(id: $id) { ${RECORD_FIELDS} } }`,
  page: `query Page($dataset: String!) { records(dataset: $dataset, first: 50) { nodes { ${PAGE_NODE_FIELDS} } } }`,
};
// The Lake's default order (newest first, then id) and its archived filter, in PostGraphile's
// generated arguments. PostGraphile's names: the primary key is `rowId` (its Node interface takes
// `id`), the relations are named after the two foreign keys; all aliased to the Lake's names.
const PG_RECORD_FIELDS = RECORD_FIELDS.replace(/^id /, "id: rowId ");
const POSTGRAPHILE_QUERIES = {
  byId: `query Record($id: UUID!) { record: recordByRowId(rowId: $id) { ${PG_RECORD_FIELDS} } }`,
  page: `query Page($dataset: UUID!) { records: allRecords(condition: { datasetId: $dataset, archived: false }, orderBy: [CREATED_AT_DESC, ROW_ID_ASC], first: 50) { nodes { id: rowId payload createdAt dataset: datasetByDatasetId { id: rowId name } owner: userByOwnerId { id: rowId name } } } }`,
};

/**
 * A GraphQL answer counts only with data and without errors: `errors` beside data (a resolver
 * that failed) or a relation that came back null is a failure, not a fast answer.
 */
const answered = (field: string) => (text: string) =>
  text.startsWith(`{"data":{"${field}":{`) &&
  !text.includes('"errors"') &&
  !text.includes('"dataset":null') &&
  !text.includes('"owner":null');

type RecordAnswer = { id: string; dataset_id?: string; datasetId?: string; payload: unknown };
type PageNode = { id: string; dataset: { id: string }; owner: { id: string } };
type RestItem = { id: string; dataset_id: string; owner_id: string };

/** Key order aside (jsonb's differs from insertion), the same JSON. */
const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

const recordDigest = (record: RecordAnswer) =>
  sortedJson({ id: record.id, payload: record.payload });
const graphqlData = (answer: unknown) => (answer as { data: Record<string, unknown> }).data;

/**
 * Which id or dataset each request asks for: at random, or — while `inOrder` runs — each in turn,
 * so a pass of as many requests as there are items touches every one (caches warmed whole).
 */
export function itemPicker() {
  let next: number | undefined;
  return {
    pick<T>(items: T[]): T {
      if (next === undefined) return items[Math.floor(Math.random() * items.length)]!;
      return items[next++ % items.length]!;
    },
    async inOrder<R>(run: () => Promise<R>): Promise<R> {
      next = 0;
      try {
        return await run();
      } finally {
        next = undefined;
      }
    },
  };
}

export function contendersOf(
  key: ScenarioKey,
  targets: Targets,
  picker = itemPicker(),
): Contender[] {
  const pick = <T>(items: T[]) => picker.pick(items);
  const variables =
    key === "byId"
      ? () => ({ id: pick(targets.recordIds) })
      : () => ({ dataset: pick(targets.datasetIds) });
  const graphql = (server: ServerName, baseUrl: string, path: string, query: string) => ({
    server,
    baseUrl,
    scenario: {
      name: `${SCENARIO_TITLES[key]} · ${server}`,
      method: "POST" as const,
      path,
      body: () => ({ query, variables: variables() }),
      verifyBody: answered(key === "byId" ? "record" : "records"),
    },
    digest: (answer: unknown) => {
      const data = graphqlData(answer);
      if (key === "byId") return recordDigest(data.record as RecordAnswer);
      const { nodes } = data.records as { nodes: PageNode[] };
      return nodes.map((node) => `${node.id} ${node.dataset.id} ${node.owner.id}`);
    },
  });
  const auth = { authorization: `Bearer ${targets.apiKey}` };
  return [
    {
      ...graphql("Lake GraphQL", targets.lakeUrl, "/api/v1/lake/graphql", LAKE_QUERIES[key]),
      headers: auth,
    },
    {
      server: "Lake REST",
      baseUrl: targets.lakeUrl,
      headers: auth,
      scenario: {
        name: `${SCENARIO_TITLES[key]} · Lake REST`,
        method: "GET",
        path:
          key === "byId"
            ? () => `/api/v1/lake/data/${pick(targets.recordIds)}`
            : () => `/api/v1/lake/data?dataset=${pick(targets.datasetIds)}&limit=50`,
      },
      digest: (answer: unknown) => {
        if (key === "byId") return recordDigest(answer as RecordAnswer);
        const { items } = answer as { items: RestItem[] };
        return items.map((item) => `${item.id} ${item.dataset_id} ${item.owner_id}`);
      },
    },
    {
      ...graphql("PostGraphile", targets.postgraphileUrl, "/graphql", POSTGRAPHILE_QUERIES[key]),
      headers: {},
    },
  ];
}

/** The REST call behind (b), as printed with the figures. */
export const REST_PAGE_CALL = "GET /api/v1/lake/data?dataset={id}&limit=50";
