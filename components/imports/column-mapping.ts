/** What happens to one source column: imported under `target`, or dropped. */
export type ColumnChoice = { source: string; target: string; keep: boolean };

export const initialChoices = (columns: readonly string[]): ColumnChoice[] =>
  columns.map((source) => ({ source, target: source, keep: true }));

/**
 * Why a choice cannot be sent, by source column: a kept column needs a field name, and two kept
 * columns cannot fill the same field (the second would overwrite the first, row by row).
 */
export function mappingProblems(choices: readonly ColumnChoice[]): Map<string, string> {
  const problems = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const choice of choices) {
    if (!choice.keep) continue;
    const target = choice.target.trim();
    if (!target) problems.set(choice.source, "Name the field, or skip the column.");
    else if (target.length > 200) problems.set(choice.source, "At most 200 characters.");
    else if (seen.has(target)) {
      problems.set(choice.source, `“${seen.get(target)}” already goes to ${target}.`);
    } else seen.set(target, choice.source);
  }
  return problems;
}

/**
 * The upload's `mapping` metadata (`{"source": "field"}`, "" drops the column): only the columns
 * that change, so a file imported as it is sends none. null: nothing to send.
 */
export function mappingMetadata(choices: readonly ColumnChoice[]): string | null {
  const entries = choices
    .map((choice) => [choice.source, choice.keep ? choice.target.trim() : ""] as const)
    .filter(([source, target]) => target !== source);
  return entries.length === 0 ? null : JSON.stringify(Object.fromEntries(entries));
}
