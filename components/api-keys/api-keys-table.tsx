import type { ReactNode } from "react";

import { DateTime } from "@/components/ui/date-time";
import { Table } from "@/components/ui/table";
import { TagList } from "@/components/ui/tag-list";

import { ApiKeyStatusBadge } from "./api-key-status-badge";
import type { ApiKeyRow } from "./api-key-types";
import styles from "./api-keys-table.module.css";

/** Why the status is what it is, under the badge: until when a rotated key works, and so on. */
function statusNote(key: ApiKeyRow): ReactNode {
  if (key.status === "revoked")
    return (
      <>
        on <DateTime value={key.revokedAt} />
      </>
    );
  if (key.status === "rotated" && key.graceUntil) {
    const ended = new Date(key.graceUntil) <= new Date();
    return (
      <>
        {ended ? "stopped" : "works until"} <DateTime value={key.graceUntil} />
      </>
    );
  }
  return null;
}

export function ApiKeysTable({
  keys,
  caption,
  showOwner = false,
  actions,
}: {
  keys: readonly ApiKeyRow[];
  caption: string;
  showOwner?: boolean;
  /** The buttons for one key; nothing for keys that can no longer change. */
  actions: (key: ApiKeyRow) => ReactNode;
}) {
  return (
    <Table caption={caption} data-testid="api-keys-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          {showOwner && <th scope="col">Owner</th>}
          <th scope="col">Status</th>
          <th scope="col">Scopes</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col" data-align="end">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const note = statusNote(key);
          return (
            <tr key={key.id} data-testid="api-key-row" data-key-id={key.id}>
              <th scope="row" className={styles.name}>
                {key.name}
                <span className={`${styles.sub} ${styles.prefix}`}>{key.prefix}…</span>
              </th>
              {showOwner && <td>{key.owner?.email ?? "—"}</td>}
              <td>
                <ApiKeyStatusBadge status={key.status} />
                {note && <span className={styles.sub}>{note}</span>}
              </td>
              <td className={styles.nowrap}>
                <TagList items={key.scopes} />
                {key.rateLimitPerHour !== null && (
                  <span className={styles.sub}>
                    {key.rateLimitPerHour.toLocaleString("en")} requests/hour
                  </span>
                )}
              </td>
              <td className={styles.nowrap}>
                <DateTime value={key.createdAt} dateOnly />
              </td>
              <td className={styles.nowrap}>
                <DateTime value={key.expiresAt} fallback="Never" dateOnly />
              </td>
              <td className={styles.nowrap}>
                <DateTime value={key.lastUsedAt} fallback="Never" />
                {key.lastUsedIp && <span className={styles.sub}>from {key.lastUsedIp}</span>}
              </td>
              <td data-align="end">
                <div className={styles.actions}>{actions(key)}</div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
