"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import type {
  AggregationRule,
  AlertRuleInput,
  Webhook,
  WindowFunction,
} from "@/components/analytics/realtime-types";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

import styles from "./alerts-console.module.css";

/**
 * A new alert rule, with a preview of how it would have behaved over the last day of stored
 * windows before it is saved.
 */
export function AlertRuleForm({
  aggregations,
  webhooks,
  onCreated,
}: {
  aggregations: AggregationRule[];
  webhooks: Webhook[];
  onCreated: (name: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.realtime.createAlertRule.mutationOptions({
      onSuccess: async (rule) => {
        await queryClient.invalidateQueries(trpc.realtime.alertRules.queryFilter());
        onCreated(rule.name);
      },
    }),
  );
  const preview = useMutation(trpc.realtime.previewAlertRule.mutationOptions());
  const [name, setName] = useState("");
  const [aggregation, setAggregation] = useState(aggregations[0]?.name ?? "");
  const [fn, setFn] = useState<WindowFunction>("avg");
  const [kind, setKind] = useState<"threshold" | "trend">("threshold");
  const [operator, setOperator] = useState<AlertRuleInput["operator"]>(">");
  const [threshold, setThreshold] = useState("");
  const [trendWindows, setTrendWindows] = useState("5");
  const [horizon, setHorizon] = useState("");
  const [forSeconds, setForSeconds] = useState("0");
  const [keepFiring, setKeepFiring] = useState("0");
  const [webhook, setWebhook] = useState("");
  const functions = aggregations.find((a) => a.name === aggregation)?.functions ?? [];

  const input = (): AlertRuleInput => ({
    name,
    aggregation,
    function: functions.includes(fn) ? fn : (functions[0] ?? fn),
    kind,
    operator,
    threshold: Number(threshold),
    ...(kind === "trend"
      ? {
          trend: {
            windows: Number(trendWindows),
            horizon_seconds: horizon.trim() === "" ? null : Number(horizon),
          },
        }
      : {}),
    for_seconds: Number(forSeconds),
    keep_firing_for_seconds: Number(keepFiring),
    webhook: webhook || null,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(input());
  }

  const result = preview.data;
  return (
    <form className={styles.form} onSubmit={submit} aria-label="New alert rule">
      <TextField
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        mono
      />
      <SelectField
        label="Aggregation"
        value={aggregation}
        onChange={(e) => setAggregation(e.target.value)}
      >
        {aggregations.map((a) => (
          <option key={a.id} value={a.name}>
            {a.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Function"
        value={functions.includes(fn) ? fn : (functions[0] ?? "")}
        onChange={(e) => setFn(e.target.value as WindowFunction)}
      >
        {functions.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as typeof kind)}
      >
        <option value="threshold">Threshold: the window’s value</option>
        <option value="trend">Trend: a line through the last windows</option>
      </SelectField>
      <SelectField
        label="Operator"
        value={operator}
        onChange={(e) => setOperator(e.target.value as typeof operator)}
      >
        {([">", ">=", "<", "<="] as const).map((op) => (
          <option key={op} value={op}>
            {op}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Threshold"
        inputMode="decimal"
        value={threshold}
        onChange={(e) => setThreshold(e.target.value)}
        required
      />
      {kind === "trend" && (
        <>
          <TextField
            label="Windows in the fit"
            inputMode="numeric"
            value={trendWindows}
            onChange={(e) => setTrendWindows(e.target.value)}
          />
          <TextField
            label="Predict ahead (seconds)"
            optional
            hint="Empty: compare the slope per minute."
            inputMode="numeric"
            value={horizon}
            onChange={(e) => setHorizon(e.target.value)}
          />
        </>
      )}
      <TextField
        label="For (seconds)"
        hint="How long it must hold before firing."
        inputMode="numeric"
        value={forSeconds}
        onChange={(e) => setForSeconds(e.target.value)}
      />
      <TextField
        label="Keep firing for (seconds)"
        hint="How long it keeps firing once it stops holding."
        inputMode="numeric"
        value={keepFiring}
        onChange={(e) => setKeepFiring(e.target.value)}
      />
      <SelectField label="Webhook" value={webhook} onChange={(e) => setWebhook(e.target.value)}>
        <option value="">None</option>
        {webhooks.map((w) => (
          <option key={w.id} value={w.name}>
            {w.name}
          </option>
        ))}
      </SelectField>
      <div className={styles.formActions}>
        <Button
          type="button"
          pending={preview.isPending}
          onClick={() => preview.mutate({ rule: input(), hours: 24 })}
        >
          Preview over the last 24 h
        </Button>
        <Button type="submit" variant="primary" pending={create.isPending}>
          Create alert rule
        </Button>
      </div>
      {result && (
        <p className={styles.preview} role="status" data-testid="alert-preview">
          Over {result.windows} stored windows it would have changed state{" "}
          {result.transitions.length} times
          {result.transitions.length > 0 &&
            ` (last: ${result.transitions.at(-1)!.from} → ${result.transitions.at(-1)!.to} at ${new Date(result.transitions.at(-1)!.window_start).toLocaleString()})`}
          ; it would now be firing for {result.states.firing} group(s), pending for{" "}
          {result.states.pending}.
        </p>
      )}
      <ErrorMessage error={preview.error} title="The preview failed." />
      <ErrorMessage error={create.error} title="The alert rule was not created." />
    </form>
  );
}
