import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";
import { z } from "zod";

import { parseRecordQuery } from "../../data/records/query/parse-record-query";
import { type RecordQuery } from "../../data/records/query/record-query.schemas";
import { type QueryRecordsResult } from "../../data/records/query-records";

/** The arguments of every records field (Query.records, Dataset.records, UserData.records). */
export const recordArgumentsSchema = z.object({
  dataset: z.string().nullish(),
  filter: z
    .object({
      payload: z
        .record(
          z.string().regex(/^payload\./, "filter keys are payload paths: payload.<path>"),
          z.string(),
        )
        .nullish(),
      createdAfter: z.string().nullish(),
      createdBefore: z.string().nullish(),
      updatedAfter: z.string().nullish(),
      updatedBefore: z.string().nullish(),
    })
    .nullish(),
  orderBy: z.string().nullish(),
  archived: z.enum(["ACTIVE", "ARCHIVED", "ALL"]).default("ACTIVE"),
  first: z.number().int().default(50),
  after: z.string().nullish(),
});
export type RecordArguments = z.input<typeof recordArgumentsSchema>;

const ARCHIVED = { ACTIVE: "false", ARCHIVED: "true", ALL: "all" } as const;

/**
 * A records field's arguments as the query GET /api/v1/lake/data would send, through the same
 * parser: a filter, an order or a cursor means the same at both doors, and is refused with the
 * same message. `scope` narrows to a dataset or an owner (the field's parent).
 */
export function recordQueryOf(
  args: RecordArguments,
  scope: { dataset?: string; owner?: string },
  info: GraphQLResolveInfo,
): RecordQuery {
  const parsed = recordArgumentsSchema.parse(args);
  const params = new URLSearchParams();
  const set = (name: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) params.set(name, value);
  };
  set("dataset", scope.dataset ?? parsed.dataset);
  set("owner", scope.owner);
  set("archived", ARCHIVED[parsed.archived]);
  set("order", parsed.orderBy);
  set("limit", String(parsed.first));
  set("cursor", parsed.after);
  set("created_after", parsed.filter?.createdAfter);
  set("created_before", parsed.filter?.createdBefore);
  set("updated_after", parsed.filter?.updatedAfter);
  set("updated_before", parsed.filter?.updatedBefore);
  for (const [path, condition] of Object.entries(parsed.filter?.payload ?? {}))
    params.append(path, condition);
  if (selectsField(info, "totalCount")) params.set("count", "exact");
  return parseRecordQuery(params);
}

/** A page of records as a connection. */
export function recordConnection(page: QueryRecordsResult) {
  return {
    nodes: page.items,
    pageInfo: { hasNextPage: page.next_cursor !== null, endCursor: page.next_cursor },
    totalCount: page.total ?? null,
  };
}

/** Whether the field being resolved selects `name` (through fragments too). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
