import type { Permission } from "@/server/auth/principal";

export type NavItem = {
  href: string;
  label: string;
  /** SVG path data drawn as a 1.75-stroke outline in a 24×24 box, so entries stay plain data. */
  icon: string;
  /** Shown only to users who hold it (the page and the API check it again). */
  permission?: Permission;
};

export type NavSection = {
  label: string;
  items: NavItem[];
};

const ICONS = {
  dashboard: "M4 4h7v8H4zM13 4h7v5h-7zM13 11h7v9h-7zM4 14h7v6H4z",
  shield: "M12 3l7 3v5.5c0 4.3-3 7.7-7 9.5-4-1.8-7-5.2-7-9.5V6zM9 12l2 2 4-4",
  key: "M19.5 8.5a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM12.7 11.3 4 20M6.5 17.5l2.5 2.5M9 15l2 2",
  // A key beside a list: everyone's keys, told apart from the single key of "My API keys".
  keyList: "M10 7a3 3 0 1 1-6 0 3 3 0 0 1 6 0zM7 10v10M7 15h2.5M7 18h2M13 6h8M13 12h8M13 18h8",
  users:
    "M15 20v-1.5a3.5 3.5 0 0 0-3.5-3.5h-5A3.5 3.5 0 0 0 3 18.5V20M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM21 20v-1.5a3.5 3.5 0 0 0-2.6-3.4M15.5 4.1a3.5 3.5 0 0 1 0 6.8",
  roles: "M3 6h18v12H3zM7 10.5h.01M10 10.5h7M7 14h10",
  audit: "M7 3h8l4 4v14H7zM15 3v4h4M10 11h6M10 14.5h6M10 18h4",
} as const;

// Entries are added together with their pages (Data, Imports, Query, Vectors, Stream), so the
// sidebar never links to a page that does not exist yet.
const sections: (NavSection & { adminOnly?: boolean })[] = [
  {
    label: "Overview",
    items: [
      { href: "/", label: "Dashboard", icon: ICONS.dashboard },
      {
        href: "/api-reference",
        label: "API reference",
        icon: "M8 7l-5 5 5 5M16 7l5 5-5 5M13.5 4.5l-3 15",
      },
      {
        href: "/data",
        label: "Data",
        icon: "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
      },
      { href: "/imports", label: "Imports", icon: "M12 15V3M7 8l5-5 5 5M4 15v4h16v-4" },
      {
        href: "/query",
        label: "Query",
        icon: "M8 4C6 4 5 5 5 7v2c0 1.5-.8 2.5-2 3 1.2.5 2 1.5 2 3v2c0 2 1 3 3 3M16 4c2 0 3 1 3 3v2c0 1.5.8 2.5 2 3-1.2.5-2 1.5-2 3v2c0 2-1 3-3 3",
        permission: "read",
      },
      {
        href: "/vectors",
        label: "Vectors",
        icon: "M5 19l6-6M11 13l7-3M11 13l2 6M5 19h.01M18 10h.01M13 19h.01M11 13h.01",
      },
      { href: "/live", label: "Live", icon: "M3 12h4l3-7 4 14 3-7h4", permission: "read" },
      {
        href: "/analytics",
        label: "Analytics",
        icon: "M4 20V10M10 20V4M16 20v-7M22 20H2",
        permission: "read",
      },
      {
        href: "/alerts",
        label: "Alerts",
        icon: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4",
        permission: "read",
      },
    ],
  },
  {
    label: "Account",
    items: [
      { href: "/account/security", label: "Security", icon: ICONS.shield },
      { href: "/account/api-keys", label: "My API keys", icon: ICONS.key },
    ],
  },
  {
    label: "Admin",
    adminOnly: true,
    items: [
      { href: "/admin/users", label: "Users", icon: ICONS.users },
      { href: "/admin/roles", label: "Roles", icon: ICONS.roles },
      { href: "/admin/api-keys", label: "All API keys", icon: ICONS.keyList },
      { href: "/admin/audit", label: "Audit log", icon: ICONS.audit },
    ],
  },
];

/**
 * The sidebar for one user: the Admin section only for admins, entries that need a permission
 * only for those who hold it (the pages check again).
 */
export function navSectionsFor(user: {
  admin: boolean;
  permissions: ReadonlySet<Permission>;
}): NavSection[] {
  return sections
    .filter((section) => user.admin || !section.adminOnly)
    .map(({ label, items }) => ({
      label,
      items: items.filter((item) => !item.permission || user.permissions.has(item.permission)),
    }));
}
