import type { KeyboardEvent } from "react";

import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/text-area-field";

import { parseJsonObject, prettyJson } from "./payload-json";
import styles from "./payload-editor.module.css";

/** Ctrl+Enter (⌘+Enter) submits the editor's form, as in most query consoles. */
function submitOnModEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }
}

/**
 * A payload as JSON text in a monospace textarea. Syntax errors show once `showSyntax` is set
 * (after a save attempt or leaving the field), so typing is not interrupted; `problems` are the
 * server's schema failures, by path.
 */
export function PayloadEditor({
  label = "Payload (JSON)",
  value,
  onChange,
  onBlur,
  showSyntax,
  problems,
  hint,
  "data-testid": testId,
}: {
  label?: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  showSyntax: boolean;
  problems: readonly string[];
  hint?: string;
  "data-testid"?: string;
}) {
  const parsed = parseJsonObject(value);
  const errors = [...(showSyntax && !parsed.ok ? [parsed.message] : []), ...problems];
  const lines = value.split("\n").length;
  return (
    <div className={styles.editor}>
      <TextAreaField
        label={label}
        hint={hint ?? "A JSON object. Ctrl+Enter saves."}
        mono
        rows={Math.min(Math.max(lines + 1, 8), 22)}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        onKeyDown={submitOnModEnter}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        wrap="off"
        error={errors}
        data-testid={testId}
      />
      <div className={styles.tools}>
        <Button
          size="sm"
          variant="ghost"
          disabled={!parsed.ok}
          onClick={() => parsed.ok && onChange(prettyJson(parsed.value))}
        >
          Format JSON
        </Button>
      </div>
    </div>
  );
}
