import type { z } from "zod";

import type { searchBodySchema } from "@/server/vectors/vectors.schemas";

import type { VectorMetric, VectorType } from "./vector-types";

export type SearchInput = z.input<typeof searchBodySchema>;

/** What the search form holds: strings as typed, turned into the API's body on submit. */
export type SearchForm = {
  by: "text" | "record";
  text: string;
  recordId: string;
  type: VectorType;
  metric: VectorMetric;
  k: string;
  /** A dataset id, or "" for every dataset the caller can read. */
  dataset: string;
  /** Payload filters in the query-string syntax of GET /api/v1/lake/data. */
  where: string;
  minScore: string;
  includeArchived: boolean;
};

export const DEFAULT_SEARCH_FORM: SearchForm = {
  by: "text",
  text: "",
  recordId: "",
  type: "TEXT",
  metric: "cosine",
  k: "10",
  dataset: "",
  where: "",
  minScore: "",
  includeArchived: false,
};

export const MAX_K = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type FormErrors = Partial<Record<"text" | "recordId" | "k" | "where" | "minScore", string>>;

/**
 * `payload.status=eq.open&payload.amount=gt.10` (or one condition per line) → the search
 * filter's `where`. The conditions themselves are checked by the server, which knows the
 * operators; here only their shape, so a typo is named next to the field.
 */
export function parseWhere(text: string): { where?: Record<string, string>; error?: string } {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const where: Record<string, string> = {};
  const params = new URLSearchParams(trimmed.replace(/^\?/, "").replace(/\s*\n\s*/g, "&"));
  for (const [key, value] of params) {
    if (!key.startsWith("payload.") || key === "payload.") {
      return { error: `“${key}” is not a payload path: write payload.<field>=<op>.<value>.` };
    }
    if (!value) return { error: `${key} needs a condition, e.g. ${key}=eq.open.` };
    if (key in where) return { error: `${key} appears twice; a search takes each path once.` };
    where[key] = value;
  }
  return { where };
}

/** The form as the search body, or what is wrong with it, field by field. */
export function toSearchInput(
  form: SearchForm,
): { input: SearchInput; errors?: undefined } | { input?: undefined; errors: FormErrors } {
  const errors: FormErrors = {};
  const text = form.text.trim();
  const recordId = form.recordId.trim();
  if (form.by === "text" && !text) errors.text = "Type something to search for.";
  if (form.by === "record" && !UUID.test(recordId)) errors.recordId = "Paste a record id (a UUID).";
  const k = Number(form.k);
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) errors.k = `A whole number from 1 to ${MAX_K}.`;
  const minScore = form.minScore.trim() === "" ? undefined : Number(form.minScore);
  if (minScore !== undefined && !Number.isFinite(minScore)) errors.minScore = "A number, e.g. 0.2.";
  const { where, error } = parseWhere(form.where);
  if (error) errors.where = error;
  if (Object.keys(errors).length > 0) return { errors };

  const filter =
    form.dataset || where || form.includeArchived
      ? {
          ...(form.dataset ? { dataset: form.dataset } : {}),
          ...(where ? { where } : {}),
          ...(form.includeArchived ? { includeArchived: true } : {}),
        }
      : undefined;
  return {
    input: {
      ...(form.by === "text" ? { text } : { recordId }),
      type: form.type,
      metric: form.metric,
      k,
      ...(filter ? { filter } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
    },
  };
}
