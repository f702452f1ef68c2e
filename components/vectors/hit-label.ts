import type { SearchHit } from "./vector-types";

const NAME_KEYS = ["title", "name", "label", "text"];

/**
 * How a hit is named to people (link labels, chart tooltips): the first short string among its
 * payload's usual naming fields, else its id.
 */
export function hitLabel(hit: Pick<SearchHit, "record">): string {
  for (const key of NAME_KEYS) {
    const value = hit.record.payload[key];
    if (typeof value === "string" && value.trim()) {
      const name = value.trim();
      return `record “${name.length > 60 ? `${name.slice(0, 59)}…` : name}”`;
    }
  }
  return `record ${hit.record.id}`;
}
