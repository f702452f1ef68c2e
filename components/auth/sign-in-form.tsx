"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { SignInErrorCode } from "@/server/doors/next-auth/next-auth-options";

import styles from "./sign-in-form.module.css";

export type SignInNotice = "password-changed" | "signed-out";

const NOTICES: Record<SignInNotice, string> = {
  "password-changed":
    "Your password was changed and all your sessions were ended. Sign in with the new password.",
  "signed-out": "You have signed out.",
};

const ERRORS: Record<Exclude<SignInErrorCode, "mfa_required">, string> = {
  invalid_credentials: "The email or password is incorrect.",
  invalid_mfa_code:
    "That code did not work. Authenticator codes change every 30 seconds, and each backup code works only once.",
  rate_limited: "Too many sign-in attempts. Wait a few minutes, then try again.",
};

const UNKNOWN_ERROR = "Sign-in failed. Try again in a moment.";

type Step = "password" | "code";
type Failure = { message: string; field: "email" | "password" | "code" | null };

function failureFor(error: string, step: Step): Failure {
  if (error === "invalid_credentials")
    return { message: ERRORS.invalid_credentials, field: "password" };
  if (error === "invalid_mfa_code") return { message: ERRORS.invalid_mfa_code, field: "code" };
  if (error === "rate_limited") return { message: ERRORS.rate_limited, field: null };
  return { message: UNKNOWN_ERROR, field: step === "code" ? "code" : null };
}

/**
 * Email and password, then — when the account has two-factor authentication — a code from the
 * authenticator app or a backup code. Both steps go through next-auth's credentials provider; the
 * second simply repeats the first with the code added.
 */
export function SignInForm({
  notice,
  callbackUrl,
}: {
  notice?: SignInNotice;
  /** A path on this site to return to; the dashboard when unset. */
  callbackUrl?: string;
}) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  // After a failure or a step change, put the cursor where the user has to type next.
  useEffect(() => {
    if (pending) return;
    if (step === "code") codeRef.current?.focus();
    else if (failure?.field === "email") emailRef.current?.focus();
    else if (failure?.field === "password") passwordRef.current?.select();
  }, [step, failure, pending]);

  /** What is missing before anything is sent, or null. */
  const missing = (): Failure | null => {
    if (step === "code") {
      return code.trim() ? null : { message: "Enter a code.", field: "code" };
    }
    if (!email.trim()) return { message: "Enter your email address.", field: "email" };
    if (!password) return { message: "Enter your password.", field: "password" };
    return null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const incomplete = missing();
    if (incomplete) {
      setFailure(incomplete);
      return;
    }
    setPending(true);
    setFailure(null);
    const withCode = step === "code";
    let error: string | null;
    try {
      const result = await signIn("credentials", {
        email,
        password,
        ...(withCode ? { code } : {}),
        redirect: false,
      });
      error = result ? result.error : "unknown";
    } catch {
      error = "unknown";
    }
    if (!error) {
      // Stays pending: the page is about to change.
      router.replace(callbackUrl ?? "/");
      router.refresh();
      return;
    }
    setPending(false);
    if (error === "mfa_required") {
      setStep("code");
      return;
    }
    if (withCode && error === "invalid_credentials") {
      // The password stopped working between the steps (changed or reset meanwhile).
      setStep("password");
      setPassword("");
    }
    if (error === "invalid_mfa_code") setCode("");
    setFailure(
      failureFor(error, withCode && error !== "invalid_credentials" ? "code" : "password"),
    );
  };

  const formError = failure && failure.field === null ? failure.message : null;

  if (step === "code") {
    return (
      <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
        <div className={styles.heading}>
          <h1 className={styles.title}>Two-factor authentication</h1>
          <p className={styles.intro}>
            Signing in as <strong>{email}</strong>.
          </p>
        </div>
        {formError && (
          <Banner tone="danger" role="alert">
            {formError}
          </Banner>
        )}
        <TextField
          ref={codeRef}
          label="Authentication code"
          hint="The 6-digit code from your authenticator app, or one of your backup codes (xxxx-xxxx)."
          name="code"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={32}
          required
          mono
          error={failure?.field === "code" ? failure.message : null}
        />
        <Button type="submit" variant="primary" className={styles.submit} pending={pending}>
          {pending ? "Verifying…" : "Verify and sign in"}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          className={styles.back}
          disabled={pending}
          onClick={() => {
            setStep("password");
            setPassword("");
            setCode("");
            setFailure(null);
          }}
        >
          Use another account
        </Button>
      </form>
    );
  }

  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
      <div className={styles.heading}>
        <h1 className={styles.title}>Sign in</h1>
        <p className={styles.intro}>Use your Datapunk Lake account.</p>
      </div>
      {notice && !failure && (
        <Banner tone="success" role="status" data-testid="sign-in-notice">
          {NOTICES[notice]}
        </Banner>
      )}
      {formError && (
        <Banner tone="danger" role="alert">
          {formError}
        </Banner>
      )}
      <TextField
        ref={emailRef}
        label="Email"
        type="email"
        name="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus
        error={failure?.field === "email" ? failure.message : null}
      />
      <TextField
        ref={passwordRef}
        label="Password"
        type="password"
        name="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        autoComplete="current-password"
        required
        error={failure?.field === "password" ? failure.message : null}
      />
      <Button type="submit" variant="primary" className={styles.submit} pending={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
