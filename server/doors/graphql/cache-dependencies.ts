import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { defaultFieldResolver, type GraphQLSchema, isObjectType } from "graphql";

import { dataChanges } from "../../data/data-changes";
import { type RecordView } from "../../data/records/records.schemas";

/**
 * What one operation's response depends on, gathered while it runs: the change marks
 * (server/data/data-changes.ts) that make it stale, and whether it read anything no mark covers.
 */
export type CacheScope = {
  dependsOn: Set<string>;
  /** False once a field of a type without a rule below resolved: such a response is not cached. */
  cacheable: boolean;
  /** The change clock's tick read before the operation ran (response-cache.ts). */
  tickBefore?: number;
  /** True when the services' own caches answer the whole operation: the response cache stays out. */
  servedByServices?: boolean;
};

export const newCacheScope = (): CacheScope => ({ dependsOn: new Set(), cacheable: true });

type Source = Record<string, unknown>;

/**
 * Every object type a cached response may hold, with the marks an object of it depends on. A type
 * missing here (an import job, whose progress moves without a mark; any type added later) makes
 * the response uncacheable, so a new type is never served stale by default.
 */
const TYPE_DEPENDENCIES: Record<string, (source: Source) => string[]> = {
  Record: (record) => [dataChanges.dataset((record as RecordView).dataset_id)],
  Dataset: (dataset) => [dataChanges.dataset((dataset as { id: string }).id)],
  Vector: () => [dataChanges.embeddings],
  // A profile's name and email never change after it is made.
  User: () => [],
  UserData: () => [],
  RecordConnection: () => [],
  PageInfo: () => [],
  // Window aggregates change as windows close, with no mark: their entries live for the short TTL
  // response-cache.ts gives Query.analytics.
  AnalyticsData: () => [],
  WindowSeries: () => [],
  WindowPoint: () => [],
  RecordActivityPoint: () => [],
  _Service: () => [],
};

/**
 * Fields whose answer depends on more than the objects in it: a list can gain a member, and an
 * absent object can appear.
 */
const FIELD_DEPENDENCIES: Record<string, (value: unknown) => string[]> = {
  "Query.records": () => [dataChanges.anyRecord],
  "UserData.records": () => [dataChanges.anyRecord],
  "Dataset.records": () => [], // its Dataset's own mark covers it
  "Query.datasets": () => [dataChanges.datasetList],
  "UserData.datasets": () => [dataChanges.datasetList],
  "Query.vectors": () => [dataChanges.embeddings, dataChanges.anyRecord],
  "AnalyticsData.recordActivity": () => [dataChanges.anyRecord],
  "Query.record": (value) => (value == null ? [dataChanges.anyRecord] : []),
  "Query.dataset": (value) => (value == null ? [dataChanges.datasetList] : []),
  "Record.dataset": () => [],
  "Query._entities": () => [dataChanges.anyRecord, dataChanges.datasetList],
};

const ROOT_TYPES = new Set(["Query", "Mutation", "Subscription"]);

/**
 * The schema with fields noting, in the context's `responseCache` scope, what their values depend
 * on: a type's rule runs when an object of that type is seen — through its `id`, which the response
 * cache selects on every object that has one, else through any of its fields — and a field's rule
 * when the field resolves. Resolvers stay unaware of caching.
 */
export function withCacheDependencies(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const fieldRule = FIELD_DEPENDENCIES[`${typeName}.${fieldName}`];
      const isRoot = ROOT_TYPES.has(typeName);
      const typeRule = isRoot ? undefined : TYPE_DEPENDENCIES[typeName];
      const type = schema.getType(typeName);
      const seenThroughThisField =
        !isRoot && (fieldName === "id" || !(isObjectType(type) && type.getFields().id));
      const noteType = seenThroughThisField
        ? typeRule
          ? (scope: CacheScope, source: unknown) => {
              for (const mark of typeRule(source as Source)) scope.dependsOn.add(mark);
            }
          : (scope: CacheScope) => void (scope.cacheable = false)
        : undefined;
      if (!fieldRule && !noteType) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve(source, args, context: { responseCache?: CacheScope }, info) {
          const scope = context.responseCache;
          if (scope?.cacheable) noteType?.(scope, source);
          const value = resolve(source, args, context, info);
          if (!scope?.cacheable || !fieldRule) return value;
          const note = (resolved: unknown) => {
            for (const mark of fieldRule(resolved)) scope.dependsOn.add(mark);
            return resolved;
          };
          return isPromise(value) ? value.then(note) : note(value);
        },
      };
    },
  });
}

/** The object types without a rule, whose presence keeps a response out of the cache. */
export function typesWithoutCacheRule(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith("__"))
    .map((type) => type.name)
    .filter((name) => !ROOT_TYPES.has(name) && !TYPE_DEPENDENCIES[name])
    .sort();
}

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";
