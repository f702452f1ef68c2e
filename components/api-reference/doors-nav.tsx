import Link from "next/link";

import styles from "./doors-nav.module.css";

export type Door = "rest" | "stream" | "graphql" | "grpc";

const DOORS: { door: Door; href: string; label: string }[] = [
  { door: "rest", href: "/api-reference", label: "REST" },
  { door: "stream", href: "/api-reference/stream", label: "Stream (WebSocket, SSE)" },
  { door: "graphql", href: "/api-reference/graphql", label: "GraphQL" },
  { door: "grpc", href: "/api-reference/grpc", label: "gRPC" },
];

/** The API reference's pages, one per door into the Lake. */
export function DoorsNav({ current }: { current: Door }) {
  return (
    <nav aria-label="API reference pages" className={styles.nav}>
      <ul className={styles.list}>
        {DOORS.map(({ door, href, label }) => (
          <li key={door}>
            <Link
              href={href}
              className={styles.link}
              aria-current={door === current ? "page" : undefined}
            >
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
