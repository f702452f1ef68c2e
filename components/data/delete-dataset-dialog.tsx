"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { detailNumber, errorCode } from "@/components/ui/app-error";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

import type { DatasetView } from "./data-types";

function records(count: number) {
  return count === 1 ? "1 record" : `${count.toLocaleString("en")} records`;
}

/**
 * Deleting a dataset with records deletes them too (force), so the dialog names how many and
 * asks for exactly that. The list counts only unarchived records the user sees; the server's
 * count (from a refused delete) includes every one.
 */
export function DeleteDatasetDialog({
  dataset,
  onClose,
  onDeleted,
}: {
  dataset: DatasetView | null;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.data.datasets.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.data.datasets.list.queryFilter());
        onDeleted();
      },
    }),
  );
  const serverCount =
    errorCode(remove.error) === "conflict" ? detailNumber(remove.error, "record_count") : undefined;
  const count = serverCount ?? dataset?.record_count ?? 0;
  const close = () => {
    remove.reset();
    onClose();
  };

  return (
    <ConfirmDialog
      open={dataset !== null}
      onClose={close}
      title={`Delete the dataset “${dataset?.name ?? ""}”?`}
      confirmLabel={count > 0 ? `Delete with ${records(count)}` : "Delete dataset"}
      onConfirm={() => dataset && remove.mutate({ dataset: dataset.id, force: count > 0 })}
      pending={remove.isPending}
      error={serverCount === undefined ? remove.error : null}
    >
      {count > 0 ? (
        <p>
          It holds {records(count)}
          {serverCount === undefined ? " (not counting archived ones)" : ""}. All of its records are
          deleted with it, archived ones included, and API clients that use its name will get 404.
          This cannot be undone.
        </p>
      ) : (
        <p>It has no records. API clients that use its name will get 404. This cannot be undone.</p>
      )}
    </ConfirmDialog>
  );
}
