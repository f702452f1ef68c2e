"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { errorCode } from "@/components/ui/app-error";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { SelectField } from "@/components/ui/select-field";
import { Stack } from "@/components/ui/stack";
import { TextAreaField } from "@/components/ui/text-area-field";
import { TextField } from "@/components/ui/text-field";

import { POLICY_INFO, type DatasetPolicy } from "./data-types";
import { parseJsonObject, schemaProblems } from "./payload-json";

// The server's rule (datasets.schemas.ts), checked here first so the message is beside the field.
const NAME = /^[a-z][a-z0-9_-]{1,62}$/;

const SCHEMA_EXAMPLE = `{
  "type": "object",
  "required": ["status"],
  "properties": {
    "status": { "enum": ["open", "closed"] },
    "amount": { "type": "number", "minimum": 0 }
  }
}`;

type Errors = { name?: string; schema?: string };

function CreateDatasetForm({
  onCreated,
  onCancel,
}: {
  onCreated: (name: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [policy, setPolicy] = useState<DatasetPolicy>("user_data");
  const [schema, setSchema] = useState("");
  const [payloadIndex, setPayloadIndex] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation(
    trpc.data.datasets.create.mutationOptions({
      onSuccess: async (dataset) => {
        await queryClient.invalidateQueries(trpc.data.datasets.list.queryFilter());
        onCreated(dataset.name);
      },
    }),
  );
  const nameTaken = errorCode(create.error) === "conflict";
  const refused = schemaProblems(create.error);

  // Checked as the user types once it has been tried, so a fix is confirmed right away.
  const schemaError = (text: string) => {
    if (text.trim() === "") return undefined;
    const parsed = parseJsonObject(text);
    return parsed.ok ? undefined : parsed.message;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Errors = {};
    if (!NAME.test(name)) {
      found.name =
        "2–63 characters: lower-case letters, digits, “-” and “_”, starting with a letter.";
    }
    found.schema = schemaError(schema);
    setErrors(found);
    if (found.name || found.schema) return;
    const parsed = schema.trim() === "" ? undefined : parseJsonObject(schema);
    create.mutate({
      name,
      description: description.trim() || null,
      policy,
      payload_index: payloadIndex,
      ...(parsed?.ok ? { schema: parsed.value } : {}),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {!nameTaken && refused.length === 0 && (
          <ErrorMessage error={create.error} title="The dataset was not created." />
        )}
        <TextField
          label="Name"
          hint="Appears in URLs and API calls, e.g. orders or page_views."
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={63}
          autoCapitalize="none"
          autoComplete="off"
          spellCheck={false}
          mono
          required
          error={nameTaken ? "A dataset with this name already exists." : errors.name}
        />
        <TextField
          label="Description"
          optional
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={500}
        />
        <SelectField
          label="Who sees the records"
          value={policy}
          onChange={(event) => setPolicy(event.target.value as DatasetPolicy)}
          hint={POLICY_INFO[policy].description}
        >
          <option value="user_data">{POLICY_INFO.user_data.label} (user_data)</option>
          <option value="analytics">{POLICY_INFO.analytics.label} (analytics)</option>
        </SelectField>
        <TextAreaField
          label="JSON Schema"
          optional
          hint="Every record payload must satisfy it (JSON Schema 2020-12, an object schema). Leave empty to accept any JSON object."
          placeholder={SCHEMA_EXAMPLE}
          mono
          rows={8}
          value={schema}
          onChange={(event) => {
            setSchema(event.target.value);
            if (errors.schema) setErrors({ ...errors, schema: schemaError(event.target.value) });
          }}
          onBlur={() => setErrors({ ...errors, schema: schemaError(schema) })}
          spellCheck={false}
          autoCapitalize="off"
          wrap="off"
          error={errors.schema ?? (refused.length > 0 ? refused : null)}
          data-testid="dataset-schema-input"
        />
        <CheckboxField
          label="Index payloads for contains (cs) filters"
          description="Keeps cs filters fast on a large dataset. Every write and import into it costs more (about a third of a bulk load); without the index, cs filters read the dataset's records."
          checked={payloadIndex}
          onChange={(event) => setPayloadIndex(event.target.checked)}
        />
        <Actions>
          <Button onClick={onCancel} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={create.isPending}>
            Create dataset
          </Button>
        </Actions>
      </Stack>
    </form>
  );
}

export function CreateDatasetDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (name: string) => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create dataset"
      description="A named collection of JSON records with one access policy."
      size="lg"
      data-testid="create-dataset-dialog"
    >
      <CreateDatasetForm onCreated={onCreated} onCancel={onClose} />
    </Dialog>
  );
}
