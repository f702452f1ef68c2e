"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { useTRPC } from "@/components/providers/trpc";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Skeleton } from "@/components/ui/skeleton";

import styles from "./overview.module.css";

const REFRESH_MS = 15_000;

/**
 * The newest audit entries: everyone's for administrators, with a way into the audit log; for
 * anyone else only what they did themselves (server/audit/list-recent-activity.ts).
 */
export function ActivityCard() {
  const trpc = useTRPC();
  const { data, error, isPending } = useQuery({
    ...trpc.overview.activity.queryOptions(),
    refetchInterval: REFRESH_MS,
  });
  const all = data?.scope === "all";

  return (
    <Card
      title={data && !all ? "Your recent activity" : "Recent activity"}
      data-testid="activity-card"
      aria-busy={isPending}
      badge={
        all ? (
          <Link href="/admin/audit" className={styles.cardLink}>
            Audit log
          </Link>
        ) : undefined
      }
    >
      {isPending ? (
        <div className={styles.activitySkeleton}>
          <span className="sr-only">Loading recent activity…</span>
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} height="2.25rem" />
          ))}
        </div>
      ) : !data ? (
        <p className={styles.error} role="alert">
          Could not load recent activity: {error?.message ?? "unknown error"}.
        </p>
      ) : data.items.length === 0 ? (
        <p className={styles.muted}>
          {all ? "Nothing recorded yet." : "Nothing recorded for you yet."} Sign-ins and changes to
          users, keys, datasets and records appear here.
        </p>
      ) : (
        <ol className={styles.activity}>
          {data.items.map((item) => (
            <li key={item.id} className={styles.activityItem}>
              <code className={styles.action}>{item.action}</code>
              <span className={styles.activityMeta}>
                {all && <>{item.actorEmail ?? "anonymous"} · </>}
                {item.resourceType}
                {item.resourceId && (
                  <>
                    {" "}
                    <span className={styles.resourceId} title={item.resourceId}>
                      {item.resourceId}
                    </span>
                  </>
                )}{" "}
                · <DateTime value={item.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
