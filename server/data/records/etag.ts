import { createHash } from "node:crypto";

import { AppError } from "../../errors/app-error";

/** A strong validator for one version of a record: changes whenever it is written. */
export function etagOf(record: { id: string; updatedAt: Date | string }): string {
  const updatedAt =
    typeof record.updatedAt === "string" ? record.updatedAt : record.updatedAt.toISOString();
  const digest = createHash("sha256").update(`${record.id}|${updatedAt}`).digest("base64url");
  return `"${digest.slice(0, 27)}"`;
}

/** If-Match / If-None-Match hold a list of ETags or `*`; weak ones compare by their opaque part. */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/** 412 when an If-Match precondition does not hold for the current version. */
export function assertIfMatch(
  ifMatch: string | undefined,
  current: { id: string; updatedAt: Date },
): void {
  if (ifMatch !== undefined && !etagMatches(ifMatch, etagOf(current))) {
    throw new AppError(
      "precondition_failed",
      "The record has changed since you read it (If-Match failed).",
      {
        current_etag: etagOf(current),
      },
    );
  }
}
