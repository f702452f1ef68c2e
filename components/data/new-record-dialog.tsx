"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stack } from "@/components/ui/stack";

import type { DatasetView } from "./data-types";
import { PayloadEditor } from "./payload-editor";
import { payloadProblems, payloadTemplate, prettyJson } from "./payload-json";
import { SchemaDetails } from "./schema-details";
import { SchemaForm } from "./schema-form";
import { formFields, serverFieldErrors } from "./schema-form-model";
import { PayloadModeSwitch, usePayloadViews, type PayloadMode } from "./use-payload-views";

/**
 * A new record: a form generated from the dataset's JSON Schema when it names properties, with
 * the payload as JSON one switch away (and the only editor for datasets without a schema). The
 * form starts empty (its required fields say so when left empty); the JSON view starts from the
 * template, where a key must be written out to be filled in.
 */
function NewRecordForm({ dataset, onDone }: { dataset: DatasetView; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = formFields(dataset.schema);
  const views = usePayloadViews(fields, {
    payload: {},
    text: (() => {
      const template = payloadTemplate(dataset.schema);
      return Object.keys(template).length > 0 ? prettyJson(template) : "{\n  \n}";
    })(),
  });
  const { mode, formErrors } = views;
  const create = useMutation(
    trpc.data.records.create.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.data.records.query.queryFilter()),
          queryClient.invalidateQueries(trpc.data.datasets.list.queryFilter()),
        ]);
        onDone();
      },
    }),
  );
  const problems = payloadProblems(create.error);
  const server = serverFieldErrors(create.error, fields);

  const switchTo = (next: PayloadMode) => {
    if (views.switchTo(next)) create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const payload = views.payloadToSend();
    if (payload) create.mutate({ dataset: dataset.id, payload });
  };

  const invalidCount = Object.keys(formErrors).length + Object.keys(server.byField).length;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <PayloadModeSwitch views={views} onSwitch={switchTo} />
        {problems.length === 0 && (
          <ErrorMessage error={create.error} title="The record was not created." />
        )}
        {mode === "form" && invalidCount > 0 && (
          <p className="sr-only" role="alert">
            {invalidCount === 1 ? "One field needs" : `${invalidCount} fields need`} attention.
          </p>
        )}
        {mode === "json" && problems.length > 0 && (
          <p className="sr-only" role="alert">
            The payload does not match the dataset’s schema.
          </p>
        )}
        {mode === "form" ? (
          <>
            <SchemaForm
              fields={fields}
              values={views.values}
              errors={{ ...server.byField, ...formErrors }}
              onChange={views.editForm}
            />
            {server.other.length > 0 && (
              <ErrorMessage
                error={{ message: server.other.join("\n") }}
                title="The record was not created."
              />
            )}
            {Object.keys(views.extra).length > 0 && (
              <p data-testid="record-extra-keys">
                Also kept from the JSON: <code>{Object.keys(views.extra).join(", ")}</code>
              </p>
            )}
          </>
        ) : (
          <PayloadEditor
            value={views.text}
            onChange={views.editText}
            onBlur={() => views.setShowSyntax(true)}
            showSyntax={views.showSyntax}
            problems={problems}
            data-testid="record-editor"
          />
        )}
        {dataset.schema && <SchemaDetails schema={dataset.schema} open={mode === "json"} />}
        <Actions>
          <Button onClick={onDone} disabled={create.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="primary"
            pending={create.isPending}
            data-testid="record-create"
          >
            Create record
          </Button>
        </Actions>
      </Stack>
    </form>
  );
}

export function NewRecordDialog({
  dataset,
  open,
  onClose,
}: {
  dataset: DatasetView;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`New record in ${dataset.name}`}
      size="lg"
      data-testid="new-record-dialog"
    >
      <NewRecordForm dataset={dataset} onDone={onClose} />
    </Dialog>
  );
}
