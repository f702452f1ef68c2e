import { Badge } from "./badge";
import styles from "./tag-list.module.css";

/** Names shown as small tags (scopes, roles, permissions); `empty` when there are none. */
export function TagList({ items, empty = "None" }: { items: readonly string[]; empty?: string }) {
  if (items.length === 0) return <span className={styles.empty}>{empty}</span>;
  return (
    <ul className={styles.list}>
      {items.map((item) => (
        <li key={item}>
          <Badge tone="neutral" icon={false}>
            {item}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
