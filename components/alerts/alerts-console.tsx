"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";

import type { AlertRule } from "@/components/analytics/realtime-types";
import { ConnectionBadge } from "@/components/live/connection-badge";
import { useTopicNews } from "@/components/live/use-topic-news";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";
import { Stack } from "@/components/ui/stack";
import { Table } from "@/components/ui/table";

import { AlertRuleForm } from "./alert-rule-form";
import { AlertStateBadges, STATE_TONES } from "./alert-state-badges";
import styles from "./alerts-console.module.css";
import { WebhooksPanel } from "./webhooks-panel";

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** "avg > 500 for 10 min" in words a reader scans. */
export function conditionText(rule: AlertRule): string {
  const subject =
    rule.kind === "trend"
      ? rule.trend?.horizon_seconds == null
        ? `slope/min of ${rule.function} over ${rule.trend?.windows} windows`
        : `${rule.function} predicted ${rule.trend.horizon_seconds} s ahead`
      : rule.function;
  const forText = rule.for_seconds > 0 ? ` for ${rule.for_seconds} s` : "";
  return `${subject} ${rule.operator} ${number.format(rule.threshold)}${forText}`;
}

/** A rule's state changes, newest first. */
function Timeline({ rule }: { rule: AlertRule }) {
  const trpc = useTRPC();
  const transitions = useQuery(trpc.realtime.transitions.queryOptions({ rule: rule.name }));
  return (
    <Card title={`Timeline · ${rule.name}`}>
      <ErrorMessage error={transitions.error} title="The timeline could not be loaded." />
      {transitions.data?.length === 0 && (
        <EmptyState title="No state changes yet" description="They appear as windows close." />
      )}
      {(transitions.data?.length ?? 0) > 0 && (
        <Table caption={`State changes of ${rule.name}`}>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Group</th>
              <th scope="col">Change</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {transitions.data!.map((t) => (
              <tr key={t.id} data-testid="alert-transition" data-to={t.to}>
                <td>
                  <DateTime value={t.window_start} />
                </td>
                <td>{Object.values(t.group).map(String).join(" · ") || "all"}</td>
                <td>
                  {t.from} → <Badge tone={STATE_TONES[t.to]}>{t.to}</Badge>
                </td>
                <td>{t.value === null ? "—" : number.format(t.value)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

/**
 * The Alerts page: rules with their groups' states at a glance, a rule editor with a preview over
 * stored history, a selected rule's timeline, and the webhooks with their delivery logs. It
 * follows the `alerts` topic, so a state change shows as it happens.
 */
export function AlertsConsole({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.realtime.alertRules.queryOptions());
  const aggregations = useQuery(trpc.realtime.aggregationRules.queryOptions());
  const webhooks = useQuery(trpc.realtime.webhooks.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const remove = useMutation(
    trpc.realtime.deleteAlertRule.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.realtime.alertRules.queryFilter()),
    }),
  );
  const onAlert = useCallback(() => {
    void queryClient.invalidateQueries(trpc.realtime.alertRules.queryFilter());
    void queryClient.invalidateQueries(trpc.realtime.transitions.queryFilter());
  }, [queryClient, trpc]);
  const connection = useTopicNews("alerts", null, onAlert);
  const list = rules.data ?? [];
  const shown = list.find((rule) => rule.name === selected) ?? null;

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Threshold and trend conditions on the window aggregates."
        actions={
          <>
            <ConnectionBadge state={connection} />
            {canWrite && (
              <Button onClick={() => setCreating((open) => !open)}>
                {creating ? "Close" : "New alert rule"}
              </Button>
            )}
          </>
        }
      />
      <Stack>
        {creating && aggregations.data && (
          <Card title="New alert rule">
            <AlertRuleForm
              aggregations={aggregations.data}
              webhooks={webhooks.data ?? []}
              onCreated={(name) => {
                setSelected(name);
                setCreating(false);
              }}
            />
          </Card>
        )}
        <ErrorMessage
          error={rules.error ?? remove.error}
          title="The alert rules could not be loaded."
        />
        <Card title="Alert rules">
          {rules.isSuccess && list.length === 0 ? (
            <EmptyState
              title="No alert rules"
              description="Create one to be told when a window crosses a line."
            />
          ) : (
            <Table caption="Alert rules">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Watches</th>
                  <th scope="col">Condition</th>
                  <th scope="col">States</th>
                  {canWrite && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {list.map((rule) => (
                  <tr key={rule.id} data-testid="alert-rule" data-name={rule.name}>
                    <td>
                      <button
                        type="button"
                        className={styles.linkButton}
                        onClick={() => setSelected(rule.name)}
                      >
                        {rule.name}
                      </button>
                    </td>
                    <td>{rule.aggregation.name}</td>
                    <td>{conditionText(rule)}</td>
                    <td>
                      <AlertStateBadges states={rule.states} />
                    </td>
                    {canWrite && (
                      <td>
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => remove.mutate({ rule: rule.name })}
                        >
                          Delete
                        </Button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        {shown && <Timeline rule={shown} />}
        <WebhooksPanel canWrite={canWrite} />
      </Stack>
    </>
  );
}
