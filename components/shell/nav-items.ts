export type NavItem = {
  href: string;
  label: string;
  /** SVG path data drawn as a 1.75-stroke outline in a 24×24 box, so entries stay plain data. */
  icon: string;
};

export type NavSection = {
  label: string;
  items: NavItem[];
};

// Entries are added together with their pages (Data, Imports, Query, Vectors, Stream, Admin),
// so the sidebar never links to a page that does not exist yet.
export const navSections: NavSection[] = [
  {
    label: "Overview",
    items: [
      {
        href: "/",
        label: "Dashboard",
        icon: "M4 4h7v8H4zM13 4h7v5h-7zM13 11h7v9h-7zM4 14h7v6H4z",
      },
    ],
  },
];
