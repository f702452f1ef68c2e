"use client";

import type { ReactNode } from "react";

import { Actions } from "./actions";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { SecretReveal } from "./secret-reveal";

/** A secret the server returned once, in a dialog that only its Done button closes. */
export function SecretDialog({
  secret,
  title,
  label,
  children,
  onClose,
  "data-testid": testId,
}: {
  /** null: closed. */
  secret: string | null;
  title: string;
  label: string;
  children: ReactNode;
  onClose: () => void;
  "data-testid"?: string;
}) {
  return (
    <Dialog open={secret !== null} onClose={onClose} title={title} dismissible={false}>
      <SecretReveal label={label} secret={secret ?? ""} data-testid={testId}>
        {children}
      </SecretReveal>
      <Actions>
        <Button variant="primary" onClick={onClose} data-autofocus>
          Done
        </Button>
      </Actions>
    </Dialog>
  );
}
