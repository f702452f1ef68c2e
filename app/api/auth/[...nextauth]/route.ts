import NextAuth from "next-auth";

import { nextAuthOptions } from "@/server/auth/next-auth-options";

export const dynamic = "force-dynamic";

function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(nextAuthOptions())(request, context) as Promise<Response>;
}

export { handler as GET, handler as POST };
