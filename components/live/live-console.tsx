"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Stack } from "@/components/ui/stack";
import { Stat } from "@/components/ui/stat";

import { ConnectionBadge } from "./connection-badge";
import { formatLag, LiveCharts } from "./live-charts";
import styles from "./live-console.module.css";
import { createLiveStore, type LiveStore } from "./live-store";
import { LiveTail } from "./live-tail";
import type { RatePoint } from "./rate-window";
import { streamUrl } from "./stream-url";
import { SubscriptionForm } from "./subscription-form";

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** The charts' data, read from the store once a second (they move by the second anyway). */
function useSeries(store: LiveStore): RatePoint[] {
  const [series, setSeries] = useState(() => store.series(Date.now()));
  useEffect(() => {
    const timer = setInterval(() => setSeries(store.series(Date.now())), 1_000);
    return () => clearInterval(timer);
  }, [store]);
  return series;
}

const numberFormat = new Intl.NumberFormat("en");

/**
 * The Live page: subscribe to topics over the stream WebSocket (the console's session cookie
 * signs it in), watch events arrive in a virtualized tail with their rate and lag, and pick up
 * where it was after a dropped connection or a reload.
 */
export function LiveConsole() {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.data.datasets.list.queryOptions());
  const [store] = useState(() =>
    createLiveStore({ url: streamUrl(), storage: sessionStorageOrNull() }),
  );
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const series = useSeries(store);
  const datasetList = useMemo(() => datasets.data ?? [], [datasets.data]);
  const datasetNames = useMemo(
    () => new Map(datasetList.map((dataset) => [dataset.id, dataset.name])),
    [datasetList],
  );

  useEffect(() => {
    store.attach();
    return () => store.detach();
  }, [store]);

  const { connection } = snapshot;
  const latest = series.at(-1);
  const lastLag = series.findLast((point) => point.storedLagMs !== null);

  return (
    <>
      <PageHeader
        title="Live"
        description="Follow events as they reach the Lake. A reload or a dropped connection resumes where it left off."
        actions={<ConnectionBadge state={connection} />}
      />
      <Stack>
        <Card title="Subscription">
          <SubscriptionForm
            initial={snapshot.subscription}
            datasets={datasetList}
            datasetsLoading={datasets.isPending}
            active={snapshot.active}
            // The store's functions never change: the form (memo) skips the per-frame renders.
            onSubscribe={store.start}
            onStop={store.stop}
          />
        </Card>
        {connection.status === "error" && (
          <Banner tone="danger" role="alert" data-testid="live-error">
            <strong>The stream stopped. </strong>
            {connection.message}
            {connection.code && <code className={styles.code}>{connection.code}</code>}
          </Banner>
        )}
        {snapshot.notice && (
          <Banner tone="warning" data-testid="live-notice">
            <div className={styles.notice}>
              <span>{snapshot.notice}</span>
              <Button size="sm" variant="ghost" onClick={() => store.dismissNotice()}>
                Dismiss
              </Button>
            </div>
          </Banner>
        )}
        <Card
          title="Events"
          badge={
            snapshot.events.length > 0 && (
              <Button size="sm" variant="ghost" onClick={() => store.clear()}>
                Clear
              </Button>
            )
          }
        >
          <LiveTail snapshot={snapshot} datasetNames={datasetNames} />
        </Card>
        <Card title="Rate and lag">
          <dl className={styles.stats}>
            <Stat label="Received" testId="live-received">
              {numberFormat.format(snapshot.received)}
            </Stat>
            <Stat label="Events/s (last second)">{numberFormat.format(latest?.rate ?? 0)}</Stat>
            <Stat label="Lag since stored">{formatLag(lastLag?.storedLagMs ?? null)}</Stat>
            <Stat label="Resumes after offset" testId="live-last-offset">
              {snapshot.lastOffset ?? "—"}
            </Stat>
          </dl>
          <LiveCharts series={series} />
        </Card>
      </Stack>
    </>
  );
}
