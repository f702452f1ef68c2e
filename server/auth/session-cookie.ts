import { decode } from "next-auth/jwt";
import { z } from "zod";

import { env } from "../env";

// next-auth names the cookie with the __Secure- prefix when the console is served over https.
const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

const sessionSchema = z.object({ sub: z.uuid(), sv: z.number().int() });
export type SessionClaims = { userId: string; sessionVersion: number };

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** The console session in a request's cookies (next-auth's encrypted JWT), or null. */
export async function readSessionCookie(headers: Headers): Promise<SessionClaims | null> {
  const cookies = headers.get("cookie");
  if (!cookies) return null;
  for (const name of COOKIE_NAMES) {
    const token = cookieValue(cookies, name);
    if (!token) continue;
    const decoded = await decode({ token, secret: env().LAKE_AUTH_SECRET }).catch(() => null);
    const parsed = sessionSchema.safeParse(decoded);
    if (parsed.success) return { userId: parsed.data.sub, sessionVersion: parsed.data.sv };
  }
  return null;
}
