"use client";

import { useState } from "react";

import { Actions } from "@/components/ui/actions";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Dialog } from "@/components/ui/dialog";

import styles from "./backup-codes-dialog.module.css";

function backupCodesText(codes: readonly string[], email: string): string {
  return [
    "Datapunk Lake backup codes",
    `Account: ${email}`,
    `Generated: ${new Date().toISOString()}`,
    "",
    "Each code signs you in once when you cannot use your authenticator app.",
    "",
    ...codes,
    "",
  ].join("\n");
}

function download(text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = "datapunk-lake-backup-codes.txt";
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The backup codes, the only time they exist in clear: the dialog stays open until the user says
 * they are saved.
 */
export function BackupCodesDialog({
  codes,
  email,
  onClose,
}: {
  /** null: closed. */
  codes: readonly string[] | null;
  email: string;
  onClose: () => void;
}) {
  const [saved, setSaved] = useState(false);
  const [status, setStatus] = useState("");
  const text = codes ? backupCodesText(codes, email) : "";

  const close = () => {
    setSaved(false);
    setStatus("");
    onClose();
  };

  return (
    <Dialog
      open={codes !== null}
      onClose={close}
      title="Save your backup codes"
      description="Each code signs you in once if you lose your authenticator app."
      dismissible={false}
      data-testid="backup-codes-dialog"
    >
      <Banner tone="warning">
        <strong>They are shown only this once.</strong> Store them in a password manager or print
        them; anyone with a code and your password can sign in.
      </Banner>
      <ol className={styles.codes} data-testid="backup-codes">
        {codes?.map((code) => (
          <li key={code} data-testid="backup-code">
            {code}
          </li>
        ))}
      </ol>
      <Actions align="start">
        <Button
          size="sm"
          onClick={() => {
            navigator.clipboard.writeText(codes?.join("\n") ?? "").then(
              () => setStatus("Copied to the clipboard."),
              () => setStatus("The browser refused the clipboard; download them instead."),
            );
          }}
        >
          Copy all
        </Button>
        <Button
          size="sm"
          onClick={() => {
            download(text);
            setStatus("Downloaded datapunk-lake-backup-codes.txt.");
          }}
        >
          Download .txt
        </Button>
      </Actions>
      <p className={styles.status} role="status">
        {status}
      </p>
      <CheckboxField
        label="I have saved these backup codes"
        checked={saved}
        onChange={(event) => setSaved(event.target.checked)}
        data-autofocus
      />
      <Actions>
        <Button variant="primary" disabled={!saved} onClick={close}>
          Done
        </Button>
      </Actions>
    </Dialog>
  );
}
