import NextAuth from "next-auth";

import { nextAuthOptions } from "@/server/doors/next-auth/next-auth-options";

export const dynamic = "force-dynamic";

// next-auth v4's App Router entry is typed loosely; it is a (request, context) => Response handler.
const nextAuth = NextAuth as unknown as (
  options: ReturnType<typeof nextAuthOptions>,
) => (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return nextAuth(nextAuthOptions())(request, context);
}

export { handler as GET, handler as POST };
