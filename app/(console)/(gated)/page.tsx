import type { Metadata } from "next";

import { ActivityCard } from "@/components/dashboard/activity-card";
import { OnwardLinks } from "@/components/dashboard/onward-links";
import styles from "@/components/dashboard/overview.module.css";
import { SystemStatus } from "@/components/dashboard/system-status";
import { TrafficCard } from "@/components/dashboard/traffic-card";
import { VolumesCard } from "@/components/dashboard/volumes-card";
import { PageHeader } from "@/components/ui/page-header";

import { currentUser } from "../current-user";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  // The gated layout has already sent anyone signed out to /login.
  const user = await currentUser();
  const canRead = user?.principal.permissions.has("read") ?? false;
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="This instance's traffic, the data it holds, recent activity, and the health of the services it depends on."
      />
      <div className={styles.overview}>
        <TrafficCard />
        <div className={styles.pair}>
          <div className={styles.column}>
            <VolumesCard />
            <OnwardLinks canRead={canRead} />
          </div>
          <ActivityCard />
        </div>
        <section className={styles.section} aria-labelledby="health-title">
          <h2 id="health-title" className={styles.sectionTitle}>
            Health
          </h2>
          <SystemStatus />
        </section>
      </div>
    </>
  );
}
