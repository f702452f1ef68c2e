"use client";

import type { ReactNode } from "react";

import { Actions } from "./actions";
import type { AppErrorLike } from "./app-error";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { ErrorMessage } from "./error-message";

type ConfirmDialogProps = {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  /** The request the confirmation starts is running. */
  pending?: boolean;
  error?: AppErrorLike | null;
  /** "danger" for what cannot be undone (revoke, delete, disable). */
  tone?: "primary" | "danger";
};

/** Asks before an action; the Cancel button takes focus, so Enter never confirms by accident. */
export function ConfirmDialog({
  open,
  onClose,
  title,
  children,
  confirmLabel,
  onConfirm,
  pending,
  error,
  tone = "danger",
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} title={title} dismissible={!pending}>
      {children}
      <ErrorMessage error={error} />
      <Actions>
        <Button onClick={onClose} disabled={pending} data-autofocus>
          Cancel
        </Button>
        <Button variant={tone} onClick={onConfirm} pending={pending}>
          {confirmLabel}
        </Button>
      </Actions>
    </Dialog>
  );
}
