"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { ErrorMessage } from "@/components/ui/error-message";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

import styles from "./analytics-console.module.css";
import { WINDOW_FUNCTIONS, type WindowFunction } from "./realtime-types";

const FUNCTION_OPTIONS = WINDOW_FUNCTIONS.map((fn) => ({ value: fn, label: fn }));

/** A new aggregation rule; the server's validation speaks for itself in the error message. */
export function AggregationRuleForm({ onCreated }: { onCreated: (name: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.realtime.createAggregationRule.mutationOptions({
      onSuccess: async (rule) => {
        await queryClient.invalidateQueries(trpc.realtime.aggregationRules.queryFilter());
        onCreated(rule.name);
      },
    }),
  );
  const [name, setName] = useState("");
  const [topic, setTopic] = useState<"system_metrics" | "user_events">("system_metrics");
  const [windowSeconds, setWindowSeconds] = useState("300");
  const [graceSeconds, setGraceSeconds] = useState("60");
  const [functions, setFunctions] = useState<WindowFunction[]>(["count", "avg", "max"]);
  const [field, setField] = useState("payload.value");
  const [groupBy, setGroupBy] = useState("payload.name");

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      name,
      topic,
      window_seconds: Number(windowSeconds),
      grace_seconds: Number(graceSeconds),
      functions,
      field: field.trim() || null,
      group_by: groupBy
        .split(",")
        .map((key) => key.trim())
        .filter(Boolean),
    });
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="New aggregation rule">
      <TextField
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        mono
      />
      <SelectField
        label="Topic"
        value={topic}
        onChange={(e) => setTopic(e.target.value as typeof topic)}
      >
        <option value="system_metrics">system_metrics</option>
        <option value="user_events">user_events</option>
      </SelectField>
      <TextField
        label="Window (seconds)"
        inputMode="numeric"
        value={windowSeconds}
        onChange={(e) => setWindowSeconds(e.target.value)}
      />
      <TextField
        label="Grace (seconds)"
        hint="How late an event may arrive."
        inputMode="numeric"
        value={graceSeconds}
        onChange={(e) => setGraceSeconds(e.target.value)}
      />
      <TextField
        label="Field"
        optional
        hint="The number aggregated; empty to count events."
        value={field}
        onChange={(e) => setField(e.target.value)}
        mono
      />
      <TextField
        label="Group by"
        optional
        hint="Comma-separated: partition_key or payload paths."
        value={groupBy}
        onChange={(e) => setGroupBy(e.target.value)}
        mono
      />
      <CheckboxGroup
        legend="Functions"
        options={FUNCTION_OPTIONS}
        value={functions}
        onChange={setFunctions}
      />
      <div className={styles.formActions}>
        <Button type="submit" variant="primary" pending={create.isPending}>
          Create rule
        </Button>
      </div>
      <ErrorMessage error={create.error} title="The rule was not created." />
    </form>
  );
}
