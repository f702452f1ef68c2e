import type { NavItem, NavSection } from "./nav-items";

/** "/" matches only itself; other entries stay active on their sub-pages. */
export function isActive(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}

// Pages a user reaches without the sidebar (the password change forced on invited users).
const UNLISTED: Record<string, string> = { "/account/password": "Change password" };

/**
 * The entry the user is on — the longest matching href, so a sub-page never lights up a shorter
 * prefix — or undefined on a page the sidebar does not list.
 */
export function currentNavItem(sections: NavSection[], pathname: string): NavItem | undefined {
  let best: NavItem | undefined;
  for (const item of sections.flatMap((section) => section.items)) {
    if (isActive(pathname, item.href) && (!best || item.href.length > best.href.length)) {
      best = item;
    }
  }
  return best;
}

/** The name the phone top bar shows for this page (empty where there is none to show). */
export function currentPageLabel(sections: NavSection[], pathname: string): string {
  return currentNavItem(sections, pathname)?.label ?? UNLISTED[pathname] ?? "";
}
