"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stack } from "@/components/ui/stack";

import type { DatasetView } from "./data-types";
import { PayloadEditor } from "./payload-editor";
import { parseJsonObject, payloadProblems, payloadTemplate, prettyJson } from "./payload-json";
import { SchemaDetails } from "./schema-details";

function NewRecordForm({ dataset, onDone }: { dataset: DatasetView; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => {
    const template = payloadTemplate(dataset.schema);
    return Object.keys(template).length > 0 ? prettyJson(template) : "{\n  \n}";
  });
  const [showSyntax, setShowSyntax] = useState(false);
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setShowSyntax(true);
    const parsed = parseJsonObject(text);
    if (!parsed.ok) return;
    create.mutate({ dataset: dataset.id, payload: parsed.value });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {problems.length === 0 && (
          <ErrorMessage error={create.error} title="The record was not created." />
        )}
        {problems.length > 0 && (
          <p className="sr-only" role="alert">
            The payload does not match the dataset’s schema.
          </p>
        )}
        <PayloadEditor
          value={text}
          onChange={setText}
          onBlur={() => setShowSyntax(true)}
          showSyntax={showSyntax}
          problems={problems}
          data-testid="record-editor"
        />
        {dataset.schema && <SchemaDetails schema={dataset.schema} open />}
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
