"use client";

import { keepPreviousData, skipToken, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";

import { ConnectionBadge } from "@/components/live/connection-badge";
import { useTopicNews } from "@/components/live/use-topic-news";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { SelectField } from "@/components/ui/select-field";
import { Stack } from "@/components/ui/stack";

import { AggregationRuleForm } from "./aggregation-rule-form";
import styles from "./analytics-console.module.css";
import type { AggregationRule, WindowFunction } from "./realtime-types";
import { SeriesChart } from "./series-chart";
import { seriesCsv } from "./series-csv";
import { SeriesTable } from "./series-table";

const RANGES = [
  { value: "15m", label: "15 min", seconds: 900 },
  { value: "1h", label: "1 hour", seconds: 3600 },
  { value: "24h", label: "24 hours", seconds: 86_400 },
  { value: "7d", label: "7 days", seconds: 7 * 86_400 },
] as const;
type RangeValue = (typeof RANGES)[number]["value"];
const VIEWS = [
  { value: "chart", label: "Chart" },
  { value: "table", label: "Table" },
] as const;

/** About 120 points across the range, each a whole number of the rule's windows. */
export function stepFor(rule: Pick<AggregationRule, "window_seconds">, rangeSeconds: number) {
  return rule.window_seconds * Math.max(1, Math.ceil(rangeSeconds / 120 / rule.window_seconds));
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The Analytics page: a rule's windows as a time series — pick the rule, its function, the range,
 * one line per group or all merged — as a chart or a table, exported as CSV. It follows the
 * `windows` topic, so each window the engine closes redraws it.
 */
export function AnalyticsConsole({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const rules = useQuery(trpc.realtime.aggregationRules.queryOptions());
  const [ruleName, setRuleName] = useState<string | null>(null);
  const [fn, setFn] = useState<WindowFunction | null>(null);
  const [range, setRange] = useState<RangeValue>("1h");
  const [merged, setMerged] = useState(false);
  const [view, setView] = useState<"chart" | "table">("chart");
  const [creating, setCreating] = useState(false);
  // The range ends now; it moves when a window closes (or the user asks).
  const [anchor, setAnchor] = useState(() => Date.now());

  const list = rules.data ?? [];
  const rule = list.find((r) => r.name === ruleName) ?? list[0] ?? null;
  const fnShown =
    rule && fn && rule.functions.includes(fn) ? fn : (rule?.functions.at(-1) ?? "count");
  const seconds = RANGES.find((r) => r.value === range)!.seconds;
  const query = rule
    ? {
        rule: rule.name,
        function: fnShown,
        from: new Date(anchor - seconds * 1000).toISOString(),
        to: new Date(anchor + rule.window_seconds * 1000).toISOString(),
        step: stepFor(rule, seconds),
        ...(merged ? { group_by: "" } : {}),
      }
    : null;
  const series = useQuery({
    ...trpc.realtime.series.queryOptions(query ?? skipToken),
    placeholderData: keepPreviousData,
  });

  const filter = useMemo(() => (rule ? { "payload.rule": `eq.${rule.name}` } : null), [rule]);
  const onWindow = useCallback(() => setAnchor(Date.now()), []);
  const connection = useTopicNews("windows", filter, onWindow);

  return (
    <>
      <PageHeader
        title="Analytics"
        description="Window aggregates of the streams, as the engine closes them."
        actions={
          <>
            <ConnectionBadge state={connection} />
            {canWrite && (
              <Button onClick={() => setCreating((open) => !open)}>
                {creating ? "Close" : "New aggregation rule"}
              </Button>
            )}
          </>
        }
      />
      <Stack>
        {creating && (
          <Card title="New aggregation rule">
            <AggregationRuleForm
              onCreated={(name) => {
                setRuleName(name);
                setCreating(false);
              }}
            />
          </Card>
        )}
        <ErrorMessage error={rules.error} title="The rules could not be loaded." />
        {rules.isSuccess && list.length === 0 && (
          <EmptyState
            title="No aggregation rules"
            description="Create one to aggregate a stream."
          />
        )}
        {rule && (
          <Card title="Series">
            <Stack>
              <div className={styles.controls}>
                <SelectField
                  label="Rule"
                  value={rule.name}
                  onChange={(e) => setRuleName(e.target.value)}
                  hint={`${rule.topic}, ${rule.window_seconds} s windows`}
                >
                  {list.map((r) => (
                    <option key={r.id} value={r.name}>
                      {r.name}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  label="Function"
                  value={fnShown}
                  onChange={(e) => setFn(e.target.value as WindowFunction)}
                >
                  {rule.functions.map((f) => (
                    <option key={f} value={f}>
                      {f}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  label="Groups"
                  value={merged ? "merged" : "each"}
                  onChange={(e) => setMerged(e.target.value === "merged")}
                  hint={rule.group_by.length > 0 ? `by ${rule.group_by.join(", ")}` : "no grouping"}
                >
                  <option value="each">One line per group</option>
                  <option value="merged">All together</option>
                </SelectField>
              </div>
              <div className={styles.toolbar}>
                <SegmentedControl
                  label="Range"
                  options={RANGES}
                  value={range}
                  onChange={(value) => {
                    setRange(value);
                    setAnchor(Date.now());
                  }}
                />
                <SegmentedControl label="View" options={VIEWS} value={view} onChange={setView} />
                <Button
                  size="sm"
                  disabled={!series.data}
                  onClick={() =>
                    series.data &&
                    download(`${series.data.rule}-${fnShown}.csv`, seriesCsv(series.data))
                  }
                >
                  Export CSV
                </Button>
              </div>
              <ErrorMessage error={series.error} title="The series could not be loaded." />
              {series.data && series.data.series.length === 0 && (
                <EmptyState
                  title="No windows in this range yet"
                  description="Windows appear here as they close: at their end plus the rule's grace period."
                />
              )}
              {series.data &&
                series.data.series.length > 0 &&
                (view === "chart" ? (
                  <SeriesChart data={series.data} />
                ) : (
                  <SeriesTable data={series.data} />
                ))}
            </Stack>
          </Card>
        )}
      </Stack>
    </>
  );
}
