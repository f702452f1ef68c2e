import { type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

import { database } from "../../db/client";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { CLIENT_IP_HEADER } from "../rest/client-ip";
import { verifyCredentials } from "../../auth/sign-in/verify-credentials";

/** What the sign-in form learns when it fails: a code it can act on, never more. */
export type SignInErrorCode =
  "invalid_credentials" | "mfa_required" | "invalid_mfa_code" | "rate_limited";

const SESSION_HOURS = 12;

function signInErrorCode(error: unknown): SignInErrorCode {
  if (!(error instanceof AppError)) throw error;
  if (error.code === "rate_limited") return "rate_limited";
  const reason = (error.details as { reason?: string } | undefined)?.reason;
  if (reason === "mfa_required" || reason === "invalid_mfa_code") return reason;
  return "invalid_credentials";
}

/**
 * Console sign-in: email + password, then the TOTP or backup code when MFA is on, checked by
 * the same verifyCredentials the token endpoint uses. Sessions are next-auth JWT cookies
 * (HttpOnly, SameSite=Lax, Secure over https) carrying only the user id and session version.
 */
export function nextAuthOptions(): NextAuthOptions {
  return {
    secret: env().LAKE_AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { type: "email" },
          password: { type: "password" },
          code: { type: "text" },
        },
        async authorize(credentials, request) {
          try {
            const user = await verifyCredentials({
              db: database(),
              email: credentials?.email ?? "",
              password: credentials?.password ?? "",
              code: credentials?.code || undefined,
              channel: "console",
              ip: (request.headers?.[CLIENT_IP_HEADER] as string | undefined) ?? null,
            });
            return { id: user.userId, email: user.email, sv: user.sessionVersion };
          } catch (error) {
            // next-auth hands a thrown message to the form as `error`.
            throw new Error(signInErrorCode(error));
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sv = (user as { sv?: number }).sv ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { email: session.user?.email, id: token.sub } };
      },
    },
  };
}
