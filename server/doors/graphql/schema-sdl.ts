import { RATE_LIMIT_DIRECTIVE } from "./field-rate-limits";
import { COMPLEXITY_DIRECTIVE } from "./operation-cost";

// The GraphQL door's schema: the seed's three queries and three mutations, made useful, and the
// REST API's reads beside them. Field names are camelCase; resolvers read the services' snake_case
// views through one default resolver (snake-case-fields.ts). Every type is documented here, so
// the schema explains itself in any GraphQL client.

/** The arguments every records field shares (Query, UserData and Dataset), and its type. */
const pageOfRecords = /* GraphQL */ `
      filter: RecordFilter
      "The REST order syntax, e.g. \\"payload.score.desc,created_at\\"."
      orderBy: String
      archived: ArchivedRecords = ACTIVE
      "At most 500."
      first: Int = 50
      "The endCursor of the previous page."
      after: String
    ): RecordConnection! @complexity(value: 2, multipliers: ["first"])`;

export const typeDefs = /* GraphQL */ `
  # An Apollo Federation v2 subgraph: other Datapunk services compose it, and extend its
  # entities (records, datasets, users) by their ids.
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  ${COMPLEXITY_DIRECTIVE}
  ${RATE_LIMIT_DIRECTIVE}
  "Any JSON value: a record's payload, a dataset's JSON Schema, a filter."
  scalar JSON

  "An ISO 8601 instant with an offset, e.g. 2026-12-05T10:00:00Z."
  scalar DateTime

  type Query {
    """
    What one user owns: their records across datasets, the datasets they created, their imports.
    A user may read their own; administrators anyone's. A dataset's owner_only policy still holds.
    """
    userData(userId: ID!): UserData

    """
    The window aggregates of an aggregation rule and the record activity over a time range: the
    REST analytics endpoints (/api/v1/lake/analytics/*), in one request.
    """
    analytics(timeRange: TimeRange!): AnalyticsData @rateLimit(perHour: 120)

    """
    Embeddings of one type, with their records: a page in record id order (first, after), or
    with similarTo the nearest ones, closest first (the vector search service: its index, its
    policy). Either way only records you may read: your own and the analytics datasets' (admins: all).
    """
    vectors(
      type: VectorType!
      "At most 100; ignored with similarTo (its k decides)."
      first: Int = 20
      "The last recordId of the previous page."
      after: ID
      similarTo: SimilarTo
    ): [Vector!]! @complexity(value: 5, multipliers: ["first"]) @rateLimit(perHour: 600)

    "One record; null when it does not exist or its dataset's policy hides it from you."
    record(id: ID!): Record

    "Records, filtered, ordered and paged as GET /api/v1/lake/data does."
    records(
      "A dataset's id or name; omitted: every dataset (then only your own records unless you are an admin)."
      dataset: String
      ${pageOfRecords}

    "Every dataset, by name; recordCount counts what you can see."
    datasets: [Dataset!]! @complexity(value: 10)

    "A dataset by id or name."
    dataset(ref: String!): Dataset

    "One import's progress; null when it is not yours (admins see every import)."
    importJob(id: ID!): ImportJob

    "Imports, newest first: your own, or everyone's for admins."
    importJobs(first: Int = 20, after: String): ImportJobConnection!
      @complexity(value: 1, multipliers: ["first"])

    "Who is asking."
    me: User!
  }

  type Mutation {
    """
    Archives the records matching the criteria that you may write (the REST archive): they leave
    queries and reads until restored.
    """
    archiveData(criteria: ArchiveCriteria!): ArchiveResult

    """
    Field-level changes to a user's records, all or none (at most 100): payload paths set and
    unset, records created and deleted; each checked and audited as the REST API would. Yours, or
    anyone's for an admin (records are created under their creator's name). A path change writes
    under the record's ETag: a concurrent write makes the whole change a precondition_failed.
    Returns the user's data, with what changed in \`changed\`.
    """
    updateUserData(userId: ID!, data: UserDataInput!): UserData

    """
    Starts an import and returns its job: from a finished upload (tus, created with start=manual),
    or from rows sent inline (at most 1000, 1 MB) — imported as an uploaded NDJSON file would be:
    validated, within the error rate, loaded exactly once. Follow it with importJob(id).
    """
    importData(input: ImportInput!): ImportResult @rateLimit(perHour: 100)

    "Restores archived records matching the criteria."
    restoreData(criteria: ArchiveCriteria!): ArchiveResult
  }

  """
  Live events, pushed as they are stored, over server-sent events (Accept: text/event-stream) or
  WebSocket (the graphql-ws protocol) at the same path. Every event is authorized for you as the
  stream's are: an owner_only record change reaches its owner and admins only. after resumes after
  an offset you received, with no gap and no duplicate while the log keeps it.
  """
  type Subscription {
    """
    Changes of a dataset's records: payload { id, action (create, update, delete, archive,
    restore), record (its payload after the change) }. filter applies to that payload.
    """
    recordChanges(dataset: String!, filter: JSON, after: String): StreamEvent!
    """
    Events of the topics: user_events, system_metrics, windows (a window closed), alerts (an
    alert changed state), imports. filter: payload conditions in the REST syntax.
    """
    events(topics: [String!]!, filter: JSON, after: String): StreamEvent!
    "An import's state now, then every change, until it ends."
    importProgress(id: ID!): ImportJob!
  }

  "An event of the log."
  type StreamEvent {
    "Its place in the log: pass the last one you received as after to resume."
    offset: String!
    id: ID!
    topic: String!
    partitionKey: String!
    eventTime: DateTime!
    storedAt: DateTime!
    datasetId: ID
    payload: JSON!
  }

  "What a vector describes; a record has at most one embedding per type."
  enum VectorType {
    TEXT
    IMAGE
    AUDIO
    CUSTOM
  }

  "cosine (score 1 − distance), l2 (score 1/(1+distance)) or inner_product (score = ⟨a,b⟩)."
  enum VectorMetric {
    cosine
    l2
    inner_product
  }

  "What to search near: exactly one of vector, text (embedded by the configured provider) or recordId."
  input SimilarTo {
    "1536 numbers."
    vector: [Float!]
    text: String
    "Near this record's embedding of the type (the record itself is left out)."
    recordId: ID
    "How many (1–100)."
    k: Int = 10
    metric: VectorMetric = cosine
    "Leave out results scoring below this."
    minScore: Float
    "Narrow the candidates: { dataset, where (payload conditions in the REST syntax), includeArchived }."
    filter: JSON
  }

  "An embedding of a record."
  type Vector {
    recordId: ID!
    record: Record!
    type: VectorType!
    "The model that produced it (in a page; not returned by a similarity search)."
    model: String
    dimensions: Int!
    "Its 1536 components (in a page only: asked for, they are read)."
    vector: [Float!]
    "Similarity searches: higher is closer (see metric)."
    score: Float
    "Similarity searches: pgvector's distance for the metric."
    distance: Float
    updatedAt: DateTime
  }

  "Records matching a query, a page at a time."
  input RecordFilter {
    """
    Payload conditions in the REST query syntax, ANDed, e.g.
    { "payload.status": "eq.open", "payload.score": "gt.10" }.
    """
    payload: JSON
    createdAfter: DateTime
    createdBefore: DateTime
    updatedAfter: DateTime
    updatedBefore: DateTime
  }

  enum ArchivedRecords {
    "Records not archived (the default)."
    ACTIVE
    "Archived records only."
    ARCHIVED
    "Both."
    ALL
  }

  "An import to start: exactly one of uploadId, or dataset with rows."
  input ImportInput {
    "A finished upload's id (the tus upload URL's last segment)."
    uploadId: String
    "The dataset (id or name) inline rows go to."
    dataset: String
    "Rows as JSON objects, at most 1000 and 1 MB."
    rows: [JSON!]
    """
    For inline rows, what an upload's metadata says about its rows: mapping (source field → target
    path), timestamps, trim, error_rate, embedding, embedding_type, embedding_model.
    """
    options: JSON
  }

  type ImportResult {
    job: ImportJob!
  }

  "Changes to a user's records: any of the three lists; at most 100 changes in all."
  input UserDataInput {
    create: [NewRecord!]
    update: [RecordChange!]
    delete: [RecordRemoval!]
  }

  input NewRecord {
    "A dataset's id or name."
    dataset: String!
    payload: JSON!
  }

  input RecordChange {
    id: ID!
    "Payload paths and their new values, e.g. { \\"address.city\\": \\"Oslo\\" }."
    set: JSON
    "Payload paths to remove."
    unset: [String!]
    "The record's ETag: change it only if it is still this version."
    ifMatch: String
  }

  input RecordRemoval {
    id: ID!
    ifMatch: String
  }

  "What one updateUserData changed."
  type UserDataChanges {
    created: [Record!]!
    updated: [Record!]!
    deleted: [ID!]!
  }

  "Which records to archive or restore: the REST criteria."
  input ArchiveCriteria {
    "A dataset's id or name (archiving is per dataset)."
    dataset: String!
    createdAfter: DateTime
    createdBefore: DateTime
    "Payload conditions in the REST query syntax, e.g. { \\"payload.status\\": \\"eq.closed\\" }."
    filter: JSON
    "Only these records (still within the other criteria); at most 1000."
    ids: [ID!]
  }

  type ArchiveResult {
    "How many records changed."
    count: Int!
    "Their ids."
    ids: [ID!]!
  }

  "A time range for analytics: from and to (from < to), in steps of stepSeconds."
  input TimeRange {
    from: DateTime!
    to: DateTime!
    "Seconds per point, e.g. 300, 3600, 86400; at most 10,000 points per range."
    stepSeconds: Int!
  }

  "Analytics over one time range."
  type AnalyticsData {
    from: DateTime!
    to: DateTime!
    stepSeconds: Int!
    """
    A series from an aggregation rule's stored windows (e.g. system_metrics_5m), one per kept
    group. groupBy keeps some of the rule's group keys (the others are merged); omitted: every key.
    """
    series(rule: String!, function: WindowFunction!, groupBy: [String!]): [WindowSeries!]!
      @complexity(value: 20)
    "Records created, updated and deleted per dataset and step (yours, or everyone's for admins)."
    recordActivity(dataset: String): [RecordActivityPoint!]! @complexity(value: 20)
  }

  enum WindowFunction {
    count
    avg
    max
    min
    sum
  }

  type WindowSeries {
    "The kept group keys' values."
    group: JSON!
    points: [WindowPoint!]!
  }

  type WindowPoint {
    "The step's start."
    t: DateTime!
    "The function's value over the step; null when no event had the field."
    value: Float
    "Events aggregated in the step."
    count: Int!
  }

  type RecordActivityPoint {
    t: DateTime!
    "The dataset's name."
    dataset: String!
    created: Int!
    updated: Int!
    deleted: Int!
  }

  "A user's data, gathered."
  type UserData {
    user: User!
    "Their records, across datasets or in one; filters and paging as in Query.records."
    records(
      dataset: String
      ${pageOfRecords}
    "The datasets they created."
    datasets: [Dataset!]! @complexity(value: 10)
    "Their imports, newest first."
    importJobs(first: Int = 20, after: String): ImportJobConnection!
      @complexity(value: 1, multipliers: ["first"])
    "Set by updateUserData: what it changed."
    changed: UserDataChanges
  }

  "A user as others see them: the email only for themself and administrators."
  type User @key(fields: "id") {
    id: ID!
    name: String
    email: String
  }

  "A record of a dataset."
  type Record @key(fields: "id") {
    id: ID!
    datasetId: ID!
    dataset: Dataset
    ownerId: ID!
    owner: User
    """
    The record's data. paths keeps only those payload paths (dot-separated, e.g. "address.city"),
    nested as in the record; omitted: the whole payload.
    """
    payload(paths: [String!]): JSON!
    archived: Boolean!
    archivedAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  "A page of records."
  type RecordConnection {
    nodes: [Record!]!
    pageInfo: PageInfo!
    "All records matching the query, not only this page's (counted only when asked for)."
    totalCount: Int
  }

  "Where a page ends: pass endCursor as after for the next."
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  "A named set of records with a read policy and an optional JSON Schema."
  type Dataset @key(fields: "id") {
    id: ID!
    name: String!
    description: String
    "user_data: owner_only (each user sees their own records); analytics: anyone with read."
    policy: String!
    "The JSON Schema its payloads must satisfy, if any."
    schema: JSON
    "Its payload index, which serves cs (contains) filters: off, building or ready."
    payloadIndex: String!
    ownerId: ID!
    owner: User
    "Non-archived records you can see."
    recordCount: Int!
    createdAt: DateTime!
    updatedAt: DateTime!
    "Its records; filters and paging as in Query.records."
    records(
      ${pageOfRecords}
  }

  "An import: an uploaded file on its way into a dataset."
  type ImportJob {
    id: ID!
    datasetId: ID!
    dataset: Dataset
    ownerId: ID!
    filename: String
    "csv, ndjson or json."
    format: String!
    "uploading, queued, running, succeeded, failed or cancelled."
    status: String!
    "validate, transform or load while it runs."
    stage: String
    bytesTotal: Int
    bytesReceived: Int!
    rowsValidated: Int!
    rowsLoaded: Int!
    rowsRejected: Int!
    attempts: Int!
    error: String
    throughputRowsPerSecond: Float
    etaSeconds: Float
    createdAt: DateTime!
    startedAt: DateTime
    finishedAt: DateTime
  }

  "A page of imports."
  type ImportJobConnection {
    nodes: [ImportJob!]!
    pageInfo: PageInfo!
  }
`;
