"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type UsersView = { search: string; page: number };

/** ?q= and ?page= must be plain: a hand-edited URL falls back to the first page of everyone. */
function readView(params: URLSearchParams): UsersView {
  const page = Number(params.get("page"));
  return {
    search: params.get("q")?.slice(0, 254) ?? "",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/**
 * The users page's search and page, kept in the URL so a reload or a shared link shows the same
 * users. Replaces the history entry rather than pushing one per keystroke.
 */
export function useUsersView(): [UsersView, (next: UsersView) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = readView(new URLSearchParams(params.toString()));
  const setView = useCallback(
    (next: UsersView) => {
      const query = new URLSearchParams();
      if (next.search) query.set("q", next.search);
      if (next.page > 1) query.set("page", String(next.page));
      const text = query.toString();
      router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  return [view, setView];
}
