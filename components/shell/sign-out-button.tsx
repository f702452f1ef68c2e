"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

import styles from "./sidebar.module.css";

/** Ends the session and lands on the sign-in page, which says so. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={styles.signOut}
      disabled={pending}
      aria-busy={pending || undefined}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/login?message=signed-out" });
      }}
    >
      <svg
        className={styles.icon}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
      >
        <path d="M9 4H6a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h3M14 16l4-4-4-4M18 12H9" />
      </svg>
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
