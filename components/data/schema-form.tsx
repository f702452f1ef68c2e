import { CheckboxField } from "@/components/ui/checkbox-field";
import { SelectField } from "@/components/ui/select-field";
import { TextAreaField } from "@/components/ui/text-area-field";
import { TextField } from "@/components/ui/text-field";

import type { FormField, FormValues } from "./schema-form-model";
import styles from "./schema-form.module.css";

function optionLabel(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One input per schema property, typed by the schema, with its error beside it. */
export function SchemaForm({
  fields,
  values,
  errors,
  onChange,
}: {
  fields: readonly FormField[];
  values: FormValues;
  /** By field key: the form's own checks, then the server's. */
  errors: Record<string, string | undefined>;
  onChange: (values: FormValues) => void;
}) {
  const set = (key: string, value: string | boolean) => onChange({ ...values, [key]: value });
  return (
    <div className={styles.form} data-testid="schema-form">
      {fields.map((field) => {
        const common = {
          label: field.label === field.key ? field.key : `${field.label} (${field.key})`,
          hint: field.description,
          error: errors[field.key],
          optional: !field.required,
          "data-testid": "schema-field",
          "data-key": field.key,
        };
        const text = typeof values[field.key] === "string" ? (values[field.key] as string) : "";
        switch (field.kind) {
          case "boolean":
            return (
              <CheckboxField
                key={field.key}
                label={common.label}
                description={field.description}
                error={errors[field.key]}
                checked={values[field.key] === true}
                onChange={(event) => set(field.key, event.target.checked)}
                data-testid="schema-field"
                data-key={field.key}
              />
            );
          case "enum":
            return (
              <SelectField
                key={field.key}
                label={common.label}
                hint={common.hint}
                error={common.error}
                data-testid="schema-field"
                data-key={field.key}
                value={text}
                onChange={(event) => set(field.key, event.target.value)}
              >
                <option value="">{field.required ? "Choose…" : "(none)"}</option>
                {(field.options ?? []).map((option) => (
                  <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
                    {optionLabel(option)}
                  </option>
                ))}
              </SelectField>
            );
          case "json":
            return (
              <TextAreaField
                key={field.key}
                {...common}
                hint={field.description ?? "JSON: an object, an array or any value."}
                mono
                rows={Math.min(Math.max(text.split("\n").length, 3), 10)}
                value={text}
                spellCheck={false}
                onChange={(event) => set(field.key, event.target.value)}
              />
            );
          default:
            return (
              <TextField
                key={field.key}
                {...common}
                value={text}
                inputMode={
                  field.kind === "integer"
                    ? "numeric"
                    : field.kind === "number"
                      ? "decimal"
                      : undefined
                }
                autoComplete="off"
                onChange={(event) => set(field.key, event.target.value)}
              />
            );
        }
      })}
    </div>
  );
}
