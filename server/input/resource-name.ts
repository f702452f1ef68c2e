import { z } from "zod";

/**
 * The name of a thing users create and address in URLs beside its id (a dataset, an aggregation
 * or alert rule, a webhook): lower-case so it reads the same everywhere, unique per kind.
 */
export const resourceNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{1,62}$/,
    "2–63 characters: lower-case letters, digits, '-' and '_', starting with a letter.",
  );
