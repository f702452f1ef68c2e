import { describe, expect, it } from "vitest";

import type { Permission } from "@/server/auth/principal";

import { navSectionsFor } from "./nav-items";
import { currentNavItem, currentPageLabel, isActive } from "./nav-match";

const admin = navSectionsFor({
  admin: true,
  permissions: new Set<Permission>(["read", "write", "delete"]),
});

describe("isActive", () => {
  it("matches the dashboard only on /", () => {
    expect(isActive("/", "/")).toBe(true);
    expect(isActive("/data", "/")).toBe(false);
  });

  it("keeps an entry active on its sub-pages but not on a longer sibling name", () => {
    expect(isActive("/data/orders", "/data")).toBe(true);
    expect(isActive("/database", "/data")).toBe(false);
  });
});

describe("currentNavItem", () => {
  it("names a dataset page after the Data entry", () => {
    expect(currentNavItem(admin, "/data/orders")?.label).toBe("Data");
  });

  it("tells the two API key pages apart", () => {
    expect(currentNavItem(admin, "/account/api-keys")?.label).toBe("My API keys");
    expect(currentNavItem(admin, "/admin/api-keys")?.label).toBe("All API keys");
  });

  it("finds nothing on a page the sidebar does not list", () => {
    expect(currentNavItem(admin, "/no-such-page")).toBeUndefined();
  });
});

describe("currentPageLabel", () => {
  it("names unlisted pages the user can still land on", () => {
    expect(currentPageLabel(admin, "/account/password")).toBe("Change password");
    expect(currentPageLabel(admin, "/nowhere")).toBe("");
  });
});

describe("navSectionsFor", () => {
  it("gives every entry its own label and icon", () => {
    const items = admin.flatMap((section) => section.items);
    expect(new Set(items.map((item) => item.label)).size).toBe(items.length);
    expect(new Set(items.map((item) => item.icon)).size).toBe(items.length);
  });
});
