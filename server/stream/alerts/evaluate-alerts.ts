import type pg from "pg";

import { type WindowFunction } from "../windows/aggregation-rule.schemas";
import { type StoredWindow } from "../windows/stored-window";
import { NO_OWNER } from "../windows/windows.queries";
import {
  conditionOf,
  INACTIVE,
  judge,
  windowValue,
  type AlertInstanceState,
  type AlertStateName,
  type Comparison,
} from "./alert-state";

type AlertRuleRow = {
  id: string;
  name: string;
  aggregation_rule_id: string;
  aggregation: string;
  function: WindowFunction;
  kind: "threshold" | "trend";
  operator: Comparison;
  threshold: number;
  trend_windows: number | null;
  trend_horizon_seconds: number | null;
  for_seconds: number;
  keep_firing_for_seconds: number;
  webhook_id: string | null;
  owner_scope: string | null;
};

/** A group's state after this evaluation, with the window that moved it last. */
type Instance = AlertInstanceState & { ruleId: string; window: StoredWindow; value: number };

type Transition = {
  rule: AlertRuleRow;
  window: StoredWindow;
  from: AlertStateName;
  to: AlertStateName;
  value: number;
};

/** The last `count` stored windows of a group up to `start`, oldest first, as values. */
async function history(
  client: pg.PoolClient,
  rule: AlertRuleRow,
  window: StoredWindow,
  count: number,
): Promise<{ start: number; end: number; value: number }[]> {
  const { rows } = await client.query<{
    start: Date;
    end: Date;
    count: string;
    sum: number | null;
    min: number | null;
    max: number | null;
  }>(
    `SELECT window_start AS start, window_end AS "end", count::text AS count, sum, min, max
       FROM window_aggregates
      WHERE rule_id = $1 AND group_key = $2 AND window_start <= $3
      ORDER BY window_start DESC LIMIT $4`,
    [rule.aggregation_rule_id, window.groupKey, new Date(window.start), count],
  );
  return rows.reverse().flatMap((row) => {
    const value = windowValue({ ...row, count: Number(row.count) }, rule.function);
    return value === null ? [] : [{ start: row.start.getTime(), end: row.end.getTime(), value }];
  });
}

/**
 * Evaluates the alert rules that watch these windows, in the transaction that stored them: each
 * group's state moves, every change is stored with the value that caused it and announced on the
 * `alerts` topic, and a change to firing or resolved owes the rule's webhook a delivery. So a
 * window's alerts are evaluated exactly once, whatever crashes.
 */
export async function evaluateAlerts(
  client: pg.PoolClient,
  windows: StoredWindow[],
): Promise<void> {
  if (windows.length === 0) return;
  const { rows: rules } = await client.query<AlertRuleRow>(
    `SELECT a.id, a.name, a.aggregation_rule_id, r.name AS aggregation, a.function::text AS function,
            a.kind::text AS kind, a.operator, a.threshold, a.trend_windows, a.trend_horizon_seconds,
            a.for_seconds, a.keep_firing_for_seconds, a.webhook_id, a.owner_scope
       FROM alert_rules a JOIN aggregation_rules r ON r.id = a.aggregation_rule_id
      WHERE a.aggregation_rule_id = ANY($1::uuid[])`,
    [[...new Set(windows.map((w) => w.ruleId))]],
  );
  if (rules.length === 0) return;

  const ordered = [...windows].sort((a, b) => a.start - b.start);
  const { rows: stored } = await client.query<{
    alert_rule_id: string;
    group_key: string;
    state: AlertStateName;
    active_since: Date | null;
    clear_since: Date | null;
  }>(
    `SELECT alert_rule_id, group_key, state::text AS state, active_since, clear_since
       FROM alert_instances WHERE alert_rule_id = ANY($1::uuid[]) FOR UPDATE`,
    [rules.map((rule) => rule.id)],
  );
  const instances = new Map<string, Instance>();
  const keyOf = (ruleId: string, groupKey: string) => `${ruleId} ${groupKey}`;
  const states = new Map<string, AlertInstanceState>(
    stored.map((row) => [
      keyOf(row.alert_rule_id, row.group_key),
      {
        state: row.state,
        activeSince: row.active_since?.getTime() ?? null,
        clearSince: row.clear_since?.getTime() ?? null,
      },
    ]),
  );

  const transitions: Transition[] = [];
  for (const rule of rules) {
    const condition = conditionOf({
      ...rule,
      trendWindows: rule.trend_windows,
      trendHorizonSeconds: rule.trend_horizon_seconds,
      forSeconds: rule.for_seconds,
      keepFiringForSeconds: rule.keep_firing_for_seconds,
    });
    for (const window of ordered) {
      if (window.ruleId !== rule.aggregation_rule_id) continue;
      if (rule.owner_scope && window.ownerId !== null && window.ownerId !== rule.owner_scope)
        continue;
      const own = windowValue(window, rule.function);
      if (own === null) continue; // nothing to judge: an avg of no numbers
      const values =
        rule.kind === "trend"
          ? await history(client, rule, window, rule.trend_windows ?? 2)
          : [{ start: window.start, end: window.end, value: own }];
      const key = keyOf(rule.id, window.groupKey);
      const current = states.get(key) ?? INACTIVE;
      const judged = judge(condition, current, values);
      if (!judged) continue;
      const { value, next } = judged;
      states.set(key, next);
      instances.set(key, { ...next, ruleId: rule.id, window, value });
      if (next.state !== current.state) {
        transitions.push({ rule, window, from: current.state, to: next.state, value });
      }
    }
  }
  await saveInstances(client, instances);
  await recordTransitions(client, transitions);
}

async function saveInstances(client: pg.PoolClient, instances: Map<string, Instance>) {
  if (instances.size === 0) return;
  const rows = [...instances.values()];
  await client.query(
    `INSERT INTO alert_instances (alert_rule_id, group_key, group_values, owner_id, policy, state,
                                  active_since, clear_since, value, updated_at)
     SELECT t.rule_id, t.group_key, t.group_values::jsonb, t.owner_id, t.policy::"ResourcePolicy",
            t.state::"AlertState", t.active_since, t.clear_since, t.value, now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                   $7::timestamptz[], $8::timestamptz[], $9::float8[])
         AS t(rule_id, group_key, group_values, owner_id, policy, state, active_since, clear_since,
              value)
     ON CONFLICT (alert_rule_id, group_key) DO UPDATE
        SET state = excluded.state, active_since = excluded.active_since,
            clear_since = excluded.clear_since, value = excluded.value, updated_at = now()`,
    [
      rows.map((r) => r.ruleId),
      rows.map((r) => r.window.groupKey),
      rows.map((r) => JSON.stringify(r.window.groupValues)),
      rows.map((r) => r.window.ownerId),
      rows.map((r) => r.window.policy),
      rows.map((r) => r.state),
      rows.map((r) => (r.activeSince === null ? null : new Date(r.activeSince))),
      rows.map((r) => (r.clearSince === null ? null : new Date(r.clearSince))),
      rows.map((r) => r.value),
    ],
  );
}

/** The transitions, their announcements on the `alerts` topic, and the deliveries they owe. */
async function recordTransitions(client: pg.PoolClient, transitions: Transition[]) {
  if (transitions.length === 0) return;
  const { rows: ids } = await client.query<{ id: string; at: Date }>(
    `INSERT INTO alert_transitions (alert_rule_id, group_key, group_values, owner_id, policy,
                                    from_state, to_state, value, threshold, window_start, window_end)
     SELECT t.rule_id, t.group_key, t.group_values::jsonb, t.owner_id, t.policy::"ResourcePolicy",
            t.from_state::"AlertState", t.to_state::"AlertState", t.value, t.threshold,
            t.window_start, t.window_end
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                   $7::text[], $8::float8[], $9::float8[], $10::timestamptz[], $11::timestamptz[])
            WITH ORDINALITY
         AS t(rule_id, group_key, group_values, owner_id, policy, from_state, to_state, value,
              threshold, window_start, window_end, n)
      ORDER BY t.n
     RETURNING id::text AS id, at`,
    [
      transitions.map((t) => t.rule.id),
      transitions.map((t) => t.window.groupKey),
      transitions.map((t) => JSON.stringify(t.window.groupValues)),
      transitions.map((t) => t.window.ownerId),
      transitions.map((t) => t.window.policy),
      transitions.map((t) => t.from),
      transitions.map((t) => t.to),
      transitions.map((t) => t.value),
      transitions.map((t) => t.rule.threshold),
      transitions.map((t) => new Date(t.window.start)),
      transitions.map((t) => new Date(t.window.end)),
    ],
  );
  const announced = transitions.map((t, i) => ({
    transition: t,
    id: ids[i]!.id,
    payload: {
      id: ids[i]!.id,
      alert: t.rule.name,
      alert_id: t.rule.id,
      aggregation: t.rule.aggregation,
      state: t.to,
      previous_state: t.from,
      group: t.window.groupValues,
      value: t.value,
      operator: t.rule.operator,
      threshold: t.rule.threshold,
      window_start: new Date(t.window.start).toISOString(),
      window_end: new Date(t.window.end).toISOString(),
      at: ids[i]!.at.toISOString(),
    },
  }));
  await client.query(
    `INSERT INTO stream_outbox (topic, partition_key, event_id, event_time, owner_id, policy, payload)
     SELECT 'alerts', t.alert, 'alert:' || t.id, t.at, t.owner_id, t.policy::"ResourcePolicy",
            t.payload::jsonb
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[])
         AS t(alert, id, at, owner_id, policy, payload)`,
    [
      announced.map((a) => a.transition.rule.name),
      announced.map((a) => a.id),
      announced.map((a) => a.payload.at),
      announced.map((a) => a.transition.window.ownerId ?? NO_OWNER),
      announced.map((a) => a.transition.window.policy),
      announced.map((a) => JSON.stringify(a.payload)),
    ],
  );
  // Notifications go out when an alert fires and when it resolves, as Alertmanager's do.
  const owed = announced.filter(
    (a) =>
      a.transition.rule.webhook_id &&
      (a.payload.state === "firing" || a.payload.state === "resolved"),
  );
  if (owed.length === 0) return;
  await client.query(
    `INSERT INTO webhook_deliveries (webhook_id, transition_id, body)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[])`,
    [
      owed.map((a) => a.transition.rule.webhook_id),
      owed.map((a) => a.id),
      owed.map((a) => JSON.stringify(a.payload)),
    ],
  );
}
