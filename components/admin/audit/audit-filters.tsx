"use client";

import { useState, type FormEvent } from "react";

import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

import { AUDIT_AREA_LABELS, type AuditPickerOptions } from "./audit-areas";
import styles from "./audit-filters.module.css";
import type { AuditFilter } from "./audit-types";

/** datetime-local values are wall-clock times in the reader's zone; Date reads them so. */
function toDate(value: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The filters are applied on submit, not on each keystroke, so every page load is deliberate. */
export function AuditFilters({
  options,
  onApply,
}: {
  options: AuditPickerOptions;
  onApply: (filter: AuditFilter) => void;
}) {
  const [actorEmail, setActorEmail] = useState("");
  const [action, setAction] = useState("");
  const [resourceType, setResourceType] = useState("");
  const [resourceId, setResourceId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [rangeError, setRangeError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fromDate = toDate(from);
    const toDateValue = toDate(to);
    if (fromDate && toDateValue && fromDate > toDateValue) {
      setRangeError("“To” must be after “From”.");
      return;
    }
    setRangeError(null);
    onApply({
      actorEmail: actorEmail.trim() || undefined,
      action: action || undefined,
      resourceType: resourceType || undefined,
      resourceId: resourceId.trim() || undefined,
      from: fromDate,
      to: toDateValue,
    });
  };

  const clear = () => {
    setActorEmail("");
    setAction("");
    setResourceType("");
    setResourceId("");
    setFrom("");
    setTo("");
    setRangeError(null);
    onApply({});
  };

  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-label="Filter the audit log">
      <TextField
        label="Actor email"
        type="email"
        value={actorEmail}
        onChange={(event) => setActorEmail(event.target.value)}
        autoComplete="off"
      />
      <SelectField
        label="Action"
        value={action}
        onChange={(event) => setAction(event.target.value)}
      >
        <option value="">Any action</option>
        {options.actionGroups.map(({ area, actions }) => (
          <optgroup key={area} label={AUDIT_AREA_LABELS[area]}>
            {/* The list filters by prefix: "user." is every user action. */}
            <option value={`${area}.`}>{AUDIT_AREA_LABELS[area]}: all actions</option>
            {actions.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </optgroup>
        ))}
      </SelectField>
      <SelectField
        label="Resource type"
        value={resourceType}
        onChange={(event) => setResourceType(event.target.value)}
      >
        <option value="">Any resource</option>
        {options.resourceTypes.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Resource id"
        value={resourceId}
        onChange={(event) => setResourceId(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        mono
      />
      <TextField
        label="From"
        type="datetime-local"
        value={from}
        onChange={(event) => setFrom(event.target.value)}
      />
      <TextField
        label="To"
        type="datetime-local"
        value={to}
        onChange={(event) => setTo(event.target.value)}
        error={rangeError}
      />
      <div className={styles.actions}>
        <Actions align="start">
          <Button type="submit" variant="primary">
            Apply filters
          </Button>
          <Button variant="ghost" onClick={clear}>
            Clear
          </Button>
        </Actions>
      </div>
    </form>
  );
}
