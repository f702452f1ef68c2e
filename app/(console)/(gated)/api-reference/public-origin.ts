import { headers } from "next/headers";

import { env } from "@/server/env";

/** Where this console is reached: the configured public URL, else the request's own origin. */
export async function publicOrigin(): Promise<string> {
  const configured = env().LAKE_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host") ?? "localhost:3000";
  const protocol = request.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${protocol}://${host}`;
}
