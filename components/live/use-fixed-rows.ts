"use client";

import { useEffect, useState, type RefObject } from "react";

export type FixedRows = {
  /** Rows [first, last) are rendered; the others are only height. */
  first: number;
  last: number;
  totalHeight: number;
  /** Call from the element's onScroll. */
  measure: () => void;
};

/** Before the first measurement: about what the tail's CSS gives it. */
const INITIAL_HEIGHT = 480;

/**
 * A virtualizer for rows of one fixed height: only the rows in view (and `overscan` around them)
 * are in the DOM, so 5,000 buffered events cost what 30 do. `pinned` renders the bottom rows
 * before the element has scrolled there, so a tail that follows never shows a blank frame.
 */
export function useFixedRows({
  ref,
  count,
  rowHeight,
  pinned,
  overscan = 10,
}: {
  /** The scrolling element. */
  ref: RefObject<HTMLDivElement | null>;
  count: number;
  rowHeight: number;
  pinned: boolean;
  overscan?: number;
}): FixedRows {
  const [viewport, setViewport] = useState({ top: 0, height: INITIAL_HEIGHT });

  const measure = () => {
    const element = ref.current;
    if (!element) return;
    const next = { top: element.scrollTop, height: element.clientHeight };
    setViewport((current) =>
      current.top === next.top && current.height === next.height ? current : next,
    );
  };

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      setViewport((current) =>
        current.height === element.clientHeight
          ? current
          : { top: element.scrollTop, height: element.clientHeight },
      );
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);

  const totalHeight = count * rowHeight;
  const top = pinned ? Math.max(0, totalHeight - viewport.height) : viewport.top;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((top + viewport.height) / rowHeight) + overscan);
  return { first, last, totalHeight, measure };
}
