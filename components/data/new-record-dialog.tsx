"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { FieldError } from "@/components/ui/field-error";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { Stack } from "@/components/ui/stack";

import type { DatasetView } from "./data-types";
import { PayloadEditor } from "./payload-editor";
import { parseJsonObject, payloadProblems, payloadTemplate, prettyJson } from "./payload-json";
import { SchemaDetails } from "./schema-details";
import { SchemaForm } from "./schema-form";
import {
  formFields,
  formPayload,
  formValues,
  serverFieldErrors,
  type FormValues,
} from "./schema-form-model";

type Mode = "form" | "json";
const MODES = [
  { value: "form", label: "Form" },
  { value: "json", label: "JSON" },
] as const;

/**
 * A new record: a form generated from the dataset's JSON Schema when it names properties, with
 * the payload as JSON one switch away (and the only editor for datasets without a schema). The
 * two views edit the same payload: switching carries it over, keys the form has no field for
 * included.
 */
function NewRecordForm({ dataset, onDone }: { dataset: DatasetView; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = formFields(dataset.schema);
  const [mode, setMode] = useState<Mode>(fields.length > 0 ? "form" : "json");
  // The form starts empty (its required fields say so when left empty); the JSON view starts
  // from the template, where a key must be written out to be filled in.
  const [values, setValues] = useState<FormValues>(() => formValues(fields, {}));
  /** Keys the form has no field for, carried over from the JSON view. */
  const [extra, setExtra] = useState<Record<string, unknown>>({});
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [switchError, setSwitchError] = useState<string | null>(null);
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
  const server = serverFieldErrors(create.error, fields);

  const switchTo = (next: Mode) => {
    setSwitchError(null);
    if (next === "json") {
      setText(prettyJson(formPayload(fields, values, extra).payload));
    } else {
      const parsed = parseJsonObject(text);
      if (!parsed.ok) {
        setSwitchError(`Fix the JSON first to edit it as a form. ${parsed.message}`);
        return;
      }
      const named = new Set(fields.map((field) => field.key));
      setValues(formValues(fields, parsed.value));
      setExtra(Object.fromEntries(Object.entries(parsed.value).filter(([k]) => !named.has(k))));
    }
    create.reset();
    setMode(next);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === "form") {
      const { payload, errors } = formPayload(fields, values, extra);
      setFormErrors(errors);
      if (Object.keys(errors).length > 0) return;
      create.mutate({ dataset: dataset.id, payload });
      return;
    }
    setShowSyntax(true);
    const parsed = parseJsonObject(text);
    if (!parsed.ok) return;
    create.mutate({ dataset: dataset.id, payload: parsed.value });
  };

  const invalidCount = Object.keys(formErrors).length + Object.keys(server.byField).length;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {fields.length > 0 && (
          <div>
            <SegmentedControl
              label="Edit as"
              options={MODES}
              value={mode}
              onChange={switchTo}
              data-testid="record-mode"
            />
            {switchError && <FieldError id="record-mode-error">{switchError}</FieldError>}
          </div>
        )}
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
              values={values}
              errors={{ ...server.byField, ...formErrors }}
              onChange={(next) => {
                setValues(next);
                setFormErrors({});
              }}
            />
            {server.other.length > 0 && (
              <ErrorMessage
                error={{ message: server.other.join("\n") }}
                title="The record was not created."
              />
            )}
            {Object.keys(extra).length > 0 && (
              <p data-testid="record-extra-keys">
                Also kept from the JSON: <code>{Object.keys(extra).join(", ")}</code>
              </p>
            )}
          </>
        ) : (
          <PayloadEditor
            value={text}
            onChange={setText}
            onBlur={() => setShowSyntax(true)}
            showSyntax={showSyntax}
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
