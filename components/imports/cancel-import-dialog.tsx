"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";

import type { ImportJobView } from "./import-types";
import { useImportActions } from "./use-import-actions";

/** Cancelling removes whatever the import already loaded, so it is confirmed first. */
export function CancelImportDialog({
  job,
  onClose,
}: {
  /** null: closed. */
  job: ImportJobView | null;
  onClose: () => void;
}) {
  const { cancel } = useImportActions();
  const close = () => {
    cancel.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={job !== null}
      onClose={close}
      title={`Cancel the import of “${job?.filename ?? "this file"}”?`}
      confirmLabel="Cancel import"
      onConfirm={() => job && cancel.mutate({ id: job.id }, { onSuccess: close })}
      pending={cancel.isPending}
      error={cancel.error}
    >
      <p>
        The import stops wherever it is and every row it has loaded so far is removed. A complete
        upload is kept, so you can retry the import later without uploading the file again.
      </p>
    </ConfirmDialog>
  );
}
