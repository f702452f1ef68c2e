import { type ResourcePolicy } from "../../auth/resource-policy";

/** A window as it was just stored, handed to work in the transaction that stored it. */
export type StoredWindow = {
  ruleId: string;
  start: number;
  end: number;
  groupKey: string;
  groupValues: Record<string, unknown>;
  ownerId: string | null;
  policy: ResourcePolicy;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
};
