"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

import styles from "./dialog.module.css";

type DialogProps = {
  open: boolean;
  /** Called when the dialog closes by Escape or its close button. */
  onClose: () => void;
  title: string;
  description?: ReactNode;
  /**
   * false while closing would lose something the user must see first (a secret shown once):
   * Escape and the close button are off, and the content offers its own way out.
   */
  dismissible?: boolean;
  size?: "md" | "lg";
  children: ReactNode;
  "data-testid"?: string;
};

const FOCUSABLE = "input:not([disabled]), select:not([disabled]), textarea:not([disabled])";

/**
 * A modal on the native <dialog>: the browser makes the rest of the page inert and traps focus.
 * Focus goes to the element marked data-autofocus (else the first form control, else the
 * dialog's own first focusable) and returns to where it was when the dialog closes. The content
 * mounts on open, so forms start fresh each time.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  dismissible = true,
  size = "md",
  children,
  "data-testid": testId,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const onCloseRef = useRef(onClose);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement as HTMLElement | null;
      dialog.showModal();
      const target =
        dialog.querySelector<HTMLElement>("[data-autofocus]") ??
        dialog.querySelector<HTMLElement>(FOCUSABLE);
      target?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Closed by the page (open → false) or by Escape: either way focus goes back where it was.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const handleClose = () => {
      const target = returnFocus.current;
      returnFocus.current = null;
      if (target?.isConnected) target.focus();
      onCloseRef.current();
    };
    dialog.addEventListener("close", handleClose);
    return () => dialog.removeEventListener("close", handleClose);
  }, []);

  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      data-size={size}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onCancel={(event) => {
        if (!dismissible) event.preventDefault();
      }}
    >
      {open && (
        <>
          <header className={styles.header}>
            <div>
              <h2 id={titleId} className={styles.title}>
                {title}
              </h2>
              {description && (
                <p id={descriptionId} className={styles.description}>
                  {description}
                </p>
              )}
            </div>
            {dismissible && (
              <button
                type="button"
                className={styles.close}
                aria-label="Close"
                onClick={() => ref.current?.close()}
              >
                <svg
                  viewBox="0 0 24 24"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                  aria-hidden="true"
                  focusable="false"
                >
                  <path d="M6 6l12 12M18 6 6 18" />
                </svg>
              </button>
            )}
          </header>
          <div className={styles.body}>{children}</div>
        </>
      )}
    </dialog>
  );
}
