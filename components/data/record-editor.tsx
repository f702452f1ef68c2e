"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { errorCode } from "@/components/ui/app-error";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorMessage } from "@/components/ui/error-message";

import type { DatasetView, RecordView } from "./data-types";
import { PayloadEditor } from "./payload-editor";
import { payloadProblems, prettyJson } from "./payload-json";
import styles from "./record-editor.module.css";
import { RecordMeta } from "./record-meta";
import { SchemaDetails } from "./schema-details";
import { SchemaForm } from "./schema-form";
import { formFields, serverFieldErrors } from "./schema-form-model";
import { PayloadModeSwitch, usePayloadViews, type PayloadMode } from "./use-payload-views";

export type Snapshot = { record: RecordView; etag: string };

/**
 * One record: its metadata and its payload in an editor. Saves replace the payload under the
 * ETag of the version the editor started from, so someone else's change in between is a 412 the
 * user resolves by reloading, never a silent overwrite.
 */
export function RecordEditor({
  initial,
  dataset,
  reload,
  onClose,
}: {
  initial: Snapshot;
  dataset: DatasetView;
  /** Reads the record again (skipping caches on the client). */
  reload: () => Promise<Snapshot | undefined>;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [snapshot, setSnapshot] = useState(initial);
  const fields = formFields(dataset.schema);
  const views = usePayloadViews(fields, {
    payload: initial.record.payload,
    text: prettyJson(initial.record.payload),
  });
  const { mode, formErrors } = views;
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [notice, setNotice] = useState("");
  const { record } = snapshot;

  const refreshLists = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.data.records.query.queryFilter()),
      queryClient.invalidateQueries(trpc.data.datasets.list.queryFilter()),
    ]);

  const replace = useMutation(
    trpc.data.records.replace.mutationOptions({
      onSuccess: async (saved) => {
        setSnapshot(saved);
        views.show(saved.record.payload);
        setNotice("Saved.");
        queryClient.setQueryData(trpc.data.records.get.queryKey({ id: saved.record.id }), saved);
        await refreshLists();
      },
    }),
  );
  const remove = useMutation(
    trpc.data.records.delete.mutationOptions({
      onSuccess: async () => {
        setConfirmingDelete(false);
        await refreshLists();
        onClose();
      },
      onError: (error) => {
        // A stale version is explained beside the editor, with the way out (reload).
        if (errorCode(error) === "precondition_failed") setConfirmingDelete(false);
      },
    }),
  );
  const archivedChange = {
    onSuccess: async () => {
      const fresh = await reload();
      if (fresh) setSnapshot(fresh);
      await refreshLists();
    },
  };
  const archive = useMutation(trpc.data.records.archive.mutationOptions(archivedChange));
  const restore = useMutation(trpc.data.records.restore.mutationOptions(archivedChange));

  const stale =
    errorCode(replace.error) === "precondition_failed" ||
    errorCode(remove.error) === "precondition_failed";
  const problems = payloadProblems(replace.error);
  const server = serverFieldErrors(replace.error, fields);
  const dirty = views.currentText() !== prettyJson(record.payload);
  const busy = replace.isPending || archive.isPending || restore.isPending || remove.isPending;

  const switchTo = (next: PayloadMode) => {
    if (views.switchTo(next)) replace.reset();
  };

  const resetErrors = () => {
    replace.reset();
    remove.reset();
    archive.reset();
    restore.reset();
  };

  const reloadNow = async () => {
    const fresh = await reload();
    if (!fresh) return;
    setSnapshot(fresh);
    views.show(fresh.record.payload);
    resetErrors();
    setNotice("Reloaded the current version.");
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    setNotice("");
    const payload = views.payloadToSend();
    if (payload) replace.mutate({ id: record.id, payload, etag: snapshot.etag });
  };

  const setArchived = (archived: boolean) => {
    setNotice("");
    resetErrors();
    (archived ? archive : restore).mutate({ dataset: dataset.id, ids: [record.id] });
  };

  return (
    <form onSubmit={save} noValidate className={styles.form}>
      <RecordMeta record={record} etag={snapshot.etag} />

      {stale && (
        <Banner tone="warning" role="alert" data-testid="record-stale">
          <strong>This record changed since you opened it — reload</strong> to see the current
          version, then make your change again. Reloading replaces your unsaved edits.
          <div className={styles.bannerAction}>
            <Button size="sm" onClick={() => void reloadNow()} data-testid="record-reload">
              Reload
            </Button>
          </div>
        </Banner>
      )}
      {!stale && problems.length === 0 && (
        <ErrorMessage error={replace.error} title="The record was not saved." />
      )}
      {problems.length > 0 && (
        <p className="sr-only" role="alert">
          The payload does not match the dataset’s schema.
        </p>
      )}
      {mode === "form" && Object.keys(formErrors).length > 0 && (
        <p className="sr-only" role="alert">
          Some fields need attention.
        </p>
      )}
      <ErrorMessage error={archive.error ?? restore.error} title="The record was not changed." />
      {!stale && <ErrorMessage error={remove.error} title="The record was not deleted." />}

      <PayloadModeSwitch views={views} onSwitch={switchTo} />
      {mode === "form" ? (
        <>
          <SchemaForm
            fields={fields}
            values={views.values}
            errors={{ ...server.byField, ...formErrors }}
            onChange={(next) => {
              views.editForm(next);
              setNotice("");
            }}
          />
          {server.other.length > 0 && (
            <ErrorMessage
              error={{ message: server.other.join("\n") }}
              title="The record was not saved."
            />
          )}
          {Object.keys(views.extra).length > 0 && (
            <p>
              Other payload fields, kept as they are (edit them as JSON):{" "}
              <code>{Object.keys(views.extra).join(", ")}</code>
            </p>
          )}
        </>
      ) : (
        <PayloadEditor
          value={views.text}
          onChange={(value) => {
            views.editText(value);
            setNotice("");
          }}
          onBlur={() => views.setShowSyntax(true)}
          showSyntax={views.showSyntax}
          problems={problems}
          data-testid="record-editor"
        />
      )}
      {dataset.schema && <SchemaDetails schema={dataset.schema} />}

      <div className={styles.footer}>
        <Actions align="start">
          {record.archived ? (
            <Button
              size="sm"
              onClick={() => setArchived(false)}
              pending={restore.isPending}
              disabled={busy}
              data-testid="record-restore"
            >
              Restore
            </Button>
          ) : (
            <Button
              size="sm"
              onClick={() => setArchived(true)}
              pending={archive.isPending}
              disabled={busy}
              data-testid="record-archive"
            >
              Archive
            </Button>
          )}
          <Button
            size="sm"
            variant="ghost"
            className={styles.danger}
            onClick={() => setConfirmingDelete(true)}
            disabled={busy}
            data-testid="record-delete"
          >
            Delete…
          </Button>
        </Actions>
        <Actions>
          <span className={styles.notice} role="status" data-testid="record-notice">
            {notice}
          </span>
          <Button onClick={onClose} disabled={replace.isPending}>
            Close
          </Button>
          <Button
            type="submit"
            variant="primary"
            pending={replace.isPending}
            disabled={!dirty || busy}
            data-testid="record-save"
          >
            Save changes
          </Button>
        </Actions>
      </div>

      <ConfirmDialog
        open={confirmingDelete}
        onClose={() => {
          remove.reset();
          setConfirmingDelete(false);
        }}
        title="Delete this record?"
        confirmLabel="Delete record"
        onConfirm={() => remove.mutate({ id: record.id, etag: snapshot.etag })}
        pending={remove.isPending}
        error={remove.error}
      >
        <p>
          Record <code>{record.id.slice(0, 8)}</code> is removed from{" "}
          <strong>{dataset.name}</strong> for everyone. Archive it instead to hide it and keep it
          restorable. This cannot be undone.
        </p>
      </ConfirmDialog>
    </form>
  );
}
