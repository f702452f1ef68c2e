"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";

import { gridSearchParams, parseGridState, type GridState } from "./grid-url";

/**
 * The grid's view, kept in the address bar (grid-url.ts). Changes go through the History API,
 * which Next's router follows (useSearchParams updates) without a round trip to the server; a
 * change of query pushes an entry, so Back returns to the previous view, while opening a record or
 * hiding a column replaces it.
 */
export function useGridUrl() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const urlText = searchParams.toString();
  // The router takes the new address in a transition, after the event that changed it: until
  // then the view is the one just asked for, so a controlled checkbox does not flick back.
  // Once the address moves on (to it, or Back/Forward elsewhere) the address rules again.
  const [asked, setAsked] = useState<{ text: string; from: string } | null>(null);
  const text = asked && asked.from === urlText ? asked.text : urlText;
  const { state, problems } = useMemo(() => parseGridState(new URLSearchParams(text)), [text]);

  const update = useCallback(
    (patch: Partial<GridState>, mode: "push" | "replace" = "push") => {
      const next = { ...state, ...patch };
      const query = gridSearchParams(next).toString();
      const url = query ? `${pathname}?${query}` : pathname;
      setAsked({ text: query, from: urlText });
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [state, pathname, urlText],
  );
  return { state, problems, update };
}
