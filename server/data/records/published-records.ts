/**
 * The rule every reader of `records` applies: the rows of an import still loading are not there
 * yet. An import registers itself in `import_loads` before its first row lands, and the job's
 * last write (succeeded, failed or cancelled) removes it in the same transaction (migration
 * import_publication), so an import's rows appear all at once with its success, or never.
 * Rows written by the data API carry no import and are always published.
 *
 * `records` is how the query names the table (`r`, or `records` itself). The import's own
 * statements (resume, checks, removal) read its rows through `import_id` without this rule.
 * docs/decisions/0020-atomic-imports.md
 *
 * Written as a hashed subplan (`<> ALL`: import_loads is read once per statement, then each row is
 * one hash probe) rather than NOT EXISTS, which the planner turns into an anti-join it must plan:
 * measurably dearer for the data API's unprepared page queries. `import_loads.import_id` is a key,
 * never null, so `<> ALL` means "not among them".
 */
export function publishedSql(records: string): string {
  return `(${records}.import_id IS NULL OR ${records}.import_id <> ALL (SELECT import_id FROM import_loads))`;
}
