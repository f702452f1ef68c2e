import Link from "next/link";

import { Card } from "@/components/ui/card";

import styles from "./overview.module.css";

type Onward = { href: string; label: string; description: string; needsRead?: boolean };

// The same permission rules as the sidebar (components/shell/nav-items.ts): no link to a page
// that would answer 403.
const ONWARD: Onward[] = [
  { href: "/data", label: "Data", description: "Datasets and their records" },
  { href: "/imports", label: "Imports", description: "Bulk loads and their progress" },
  { href: "/query", label: "Query", description: "GraphQL and saved queries", needsRead: true },
  { href: "/live", label: "Live", description: "Events as they arrive", needsRead: true },
  { href: "/alerts", label: "Alerts", description: "Rules, states and webhooks", needsRead: true },
];

/** Where to go from the overview. */
export function OnwardLinks({ canRead }: { canRead: boolean }) {
  return (
    <Card title="Go to" data-testid="onward-links">
      <ul className={styles.links}>
        {ONWARD.filter((item) => canRead || !item.needsRead).map((item) => (
          <li key={item.href}>
            <Link href={item.href} className={styles.link}>
              <span className={styles.linkLabel}>{item.label}</span>
              <span className={styles.linkDescription}>{item.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
