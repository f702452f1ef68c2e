"use client";

import { useState } from "react";

import { FieldError } from "@/components/ui/field-error";
import { SegmentedControl } from "@/components/ui/segmented-control";

import { parseJsonObject, prettyJson } from "./payload-json";
import { formPayload, formValues, type FormField, type FormValues } from "./schema-form-model";

type Payload = Record<string, unknown>;
export type PayloadMode = "form" | "json";
const MODES = [
  { value: "form", label: "Form" },
  { value: "json", label: "JSON" },
] as const;

const withoutKeys = (payload: Payload, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(payload).filter(([key]) => !keys.includes(key)));

/**
 * One payload seen two ways, for the new-record and the edit dialogs: a form from the dataset's
 * schema (when it names properties; keys it has no field for ride along in `extra`) and the JSON.
 * Switching carries the payload over; the JSON must parse before it becomes a form.
 */
export function usePayloadViews(
  fields: readonly FormField[],
  initial: { payload: Payload; text: string },
) {
  const keys = fields.map((field) => field.key);
  const [mode, setMode] = useState<PayloadMode>(fields.length > 0 ? "form" : "json");
  const [values, setValues] = useState<FormValues>(() => formValues(fields, initial.payload));
  const [extra, setExtra] = useState(() => withoutKeys(initial.payload, keys));
  const [text, setText] = useState(initial.text);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [switchError, setSwitchError] = useState<string | null>(null);
  const [showSyntax, setShowSyntax] = useState(false);

  return {
    fields,
    mode,
    values,
    extra,
    text,
    formErrors,
    switchError,
    showSyntax,
    setShowSyntax,
    editForm: (next: FormValues) => {
      setValues(next);
      setFormErrors({});
    },
    editText: setText,
    /** Both views show `payload` (after a save or a reload). */
    show: (payload: Payload) => {
      setText(prettyJson(payload));
      setValues(formValues(fields, payload));
      setExtra(withoutKeys(payload, keys));
      setFormErrors({});
      setShowSyntax(false);
    },
    /** False when the JSON does not parse: the form cannot show it (the reason is switchError). */
    switchTo: (next: PayloadMode): boolean => {
      setSwitchError(null);
      if (next === "json") {
        setText(prettyJson(formPayload(fields, values, extra).payload));
      } else {
        const parsed = parseJsonObject(text);
        if (!parsed.ok) {
          setSwitchError(`Fix the JSON first to edit it as a form. ${parsed.message}`);
          return false;
        }
        setValues(formValues(fields, parsed.value));
        setExtra(withoutKeys(parsed.value, keys));
      }
      setMode(next);
      return true;
    },
    /** What the view holds now, as JSON text (to tell whether it changed). */
    currentText: () =>
      mode === "json" ? text : prettyJson(formPayload(fields, values, extra).payload),
    /** The payload to send, or undefined when the view has problems to show first. */
    payloadToSend: (): Payload | undefined => {
      if (mode === "form") {
        const { payload, errors } = formPayload(fields, values, extra);
        setFormErrors(errors);
        return Object.keys(errors).length > 0 ? undefined : payload;
      }
      setShowSyntax(true);
      const parsed = parseJsonObject(text);
      return parsed.ok ? parsed.value : undefined;
    },
  };
}

export type PayloadViews = ReturnType<typeof usePayloadViews>;

/** The Form / JSON switch, with why a switch was refused. */
export function PayloadModeSwitch(props: {
  views: PayloadViews;
  onSwitch: (next: PayloadMode) => void;
}) {
  const { views } = props;
  if (views.fields.length === 0) return null;
  return (
    <div>
      <SegmentedControl
        label="Edit as"
        options={MODES}
        value={views.mode}
        onChange={props.onSwitch}
        data-testid="record-mode"
      />
      {views.switchError && <FieldError id="record-mode-error">{views.switchError}</FieldError>}
    </div>
  );
}
