"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import type { Webhook } from "@/components/analytics/realtime-types";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { ErrorMessage } from "@/components/ui/error-message";
import { SecretDialog } from "@/components/ui/secret-dialog";
import { Stack } from "@/components/ui/stack";
import { Table } from "@/components/ui/table";
import { TextField } from "@/components/ui/text-field";

import styles from "./alerts-console.module.css";

const DELIVERY_TONES = { delivered: "success", failed: "danger", pending: "warning" } as const;

/** A webhook's delivery log, each attempt's outcome in order, refreshed every few seconds. */
function Deliveries({ webhook }: { webhook: Webhook }) {
  const trpc = useTRPC();
  const deliveries = useQuery({
    ...trpc.realtime.deliveries.queryOptions({ webhook: webhook.name }),
    refetchInterval: 5_000,
  });
  return (
    <>
      <ErrorMessage error={deliveries.error} title="The deliveries could not be loaded." />
      <Table caption={`Deliveries to ${webhook.name}`}>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Alert</th>
          </tr>
        </thead>
        <tbody>
          {(deliveries.data ?? []).map((delivery) => (
            <tr key={delivery.id} data-testid="webhook-delivery">
              <td>
                <DateTime value={delivery.created_at} />
              </td>
              <td>
                <Badge tone={DELIVERY_TONES[delivery.status]}>{delivery.status}</Badge>
              </td>
              <td>
                {delivery.attempts
                  .map((a) => `${a.status_code ?? a.error} (${a.duration_ms} ms)`)
                  .join(" → ") ||
                  (delivery.last_error ?? "not yet")}
              </td>
              <td>
                {String((delivery.body as { alert?: string; state?: string }).alert ?? "")}{" "}
                {String((delivery.body as { state?: string }).state ?? "")}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

/**
 * Webhooks: where alerts are sent. A new one shows its signing secret once; selecting one shows
 * its delivery log.
 */
export function WebhooksPanel({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const webhooks = useQuery(trpc.realtime.webhooks.queryOptions());
  const [secret, setSecret] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const create = useMutation(
    trpc.realtime.createWebhook.mutationOptions({
      onSuccess: async (created) => {
        setSecret(created.secret);
        setSelected(created.name);
        setName("");
        setUrl("");
        await queryClient.invalidateQueries(trpc.realtime.webhooks.queryFilter());
      },
    }),
  );
  const list = webhooks.data ?? [];
  const shown = list.find((w) => w.name === selected);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, url });
  }

  return (
    <Card title="Webhooks">
      <Stack>
        {canWrite && (
          <form className={styles.form} onSubmit={submit} aria-label="New webhook">
            <TextField
              label="Webhook name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              mono
            />
            <TextField
              label="URL"
              hint="http(s); each delivery is signed (Lake-Signature)."
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              required
              mono
            />
            <div className={styles.formActions}>
              <Button type="submit" pending={create.isPending}>
                Add webhook
              </Button>
            </div>
            <ErrorMessage error={create.error} title="The webhook was not added." />
          </form>
        )}
        <ErrorMessage error={webhooks.error} title="The webhooks could not be loaded." />
        <Table caption="Webhooks">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {list.map((webhook) => (
              <tr key={webhook.id}>
                <td>
                  <button
                    type="button"
                    className={styles.linkButton}
                    onClick={() => setSelected(webhook.name)}
                  >
                    {webhook.name}
                  </button>
                </td>
                <td>{webhook.url}</td>
                <td>
                  <DateTime value={webhook.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
        {shown && <Deliveries webhook={shown} />}
      </Stack>
      <SecretDialog
        secret={secret}
        title="Webhook added"
        label="Signing secret"
        onClose={() => setSecret(null)}
        data-testid="webhook-secret"
      >
        Verify each delivery: its Lake-Signature header is t=…,v1=HMAC-SHA256(secret, “t.body”).
        This secret is shown only now.
      </SecretDialog>
    </Card>
  );
}
