"use client";

import { memo, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";

import { Button } from "@/components/ui/button";

import type { LiveSnapshot } from "./live-store";
import styles from "./live-tail.module.css";
import type { StreamEvent } from "./live-types";
import { useFixedRows } from "./use-fixed-rows";

/** Must match .row's height in live-tail.module.css. */
const ROW_HEIGHT = 28;
/** Within this many pixels of the end counts as at the end (zoom makes fractions). */
const END_SLACK = 4;

const timeFormat = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hourCycle: "h23",
});

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}

const numberFormat = new Intl.NumberFormat("en");

type Held = Pick<LiveSnapshot, "events" | "received" | "generation">;

const Row = memo(function Row({
  event,
  index,
  datasetName,
  selected,
  onSelect,
}: {
  event: StreamEvent;
  index: number;
  datasetName: string | undefined;
  selected: boolean;
  onSelect: (event: StreamEvent) => void;
}) {
  const payload = JSON.stringify(event.payload);
  const topic =
    event.topic === "records" && event.dataset_id
      ? `records · ${datasetName ?? event.dataset_id}`
      : event.topic;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-selected={selected ? "" : undefined}
      className={styles.row}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="live-row"
      data-offset={event.offset}
      data-event-id={event.id}
    >
      <div role="cell" className={styles.cell}>
        <button
          type="button"
          className={styles.offset}
          onClick={() => onSelect(event)}
          aria-label={`Show event at offset ${event.offset}`}
        >
          {event.offset}
        </button>
      </div>
      <div role="cell" className={styles.cell}>
        <time dateTime={event.event_time} title={event.event_time}>
          {formatTime(event.event_time)}
        </time>
      </div>
      <div role="cell" className={styles.cell} title={topic}>
        {topic}
      </div>
      <div role="cell" className={styles.cell} title={event.partition_key}>
        {event.partition_key}
      </div>
      <div role="cell" className={styles.cell} title={event.id}>
        {event.id}
      </div>
      <div role="cell" className={`${styles.cell} ${styles.payload}`}>
        {payload.length > 300 ? `${payload.slice(0, 300)}…` : payload}
      </div>
    </div>
  );
});

/**
 * The live tail: newest at the bottom, following while scrolled to the end. Scrolling up or
 * pausing holds the view as it was (events keep arriving behind it, counted in the "new"
 * marker); scrolling back to the end, Resume or the marker follow again.
 */
export function LiveTail({
  snapshot,
  datasetNames,
}: {
  snapshot: LiveSnapshot;
  datasetNames: ReadonlyMap<string, string>;
}) {
  const [hold, setHold] = useState<(Held & { paused: boolean }) | null>(null);
  const [selected, setSelected] = useState<StreamEvent | null>(null);
  // A hold on an earlier tail (before a clear or a new subscription) no longer applies.
  const held = hold && hold.generation === snapshot.generation ? hold : null;
  const paused = held?.paused ?? false;
  const events = held ? held.events : snapshot.events;
  const newCount = held ? snapshot.received - held.received : 0;
  const viewport = useRef<HTMLDivElement | null>(null);
  const rows = useFixedRows({
    ref: viewport,
    count: events.length,
    rowHeight: ROW_HEIGHT,
    pinned: !held,
  });

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!held && element) element.scrollTop = element.scrollHeight;
  }, [held, events]);

  const holdView = (pause: boolean) =>
    setHold({
      events: snapshot.events,
      received: snapshot.received,
      generation: snapshot.generation,
      paused: pause,
    });
  const follow = () => setHold(null);

  const onScroll = () => {
    rows.measure();
    const element = viewport.current;
    if (!element) return;
    const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight <= END_SLACK;
    if (!held && !atEnd) holdView(false);
    else if (held && !held.paused && atEnd) follow();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // End follows again even when the view is already at the end of what it holds.
    if (event.key === "End" && held && !held.paused) follow();
  };

  const visible = [];
  for (let index = rows.first; index < rows.last; index++) {
    const event = events[index]!;
    visible.push(
      <Row
        key={event.offset}
        event={event}
        index={index}
        datasetName={event.dataset_id ? datasetNames.get(event.dataset_id) : undefined}
        selected={selected?.offset === event.offset}
        onSelect={setSelected}
      />,
    );
  }

  return (
    <div className={styles.tail}>
      <div className={styles.toolbar}>
        <Button
          size="sm"
          onClick={() => (paused ? follow() : holdView(true))}
          aria-pressed={paused}
          data-testid="live-pause"
        >
          {paused ? "Resume" : "Pause"}
        </Button>
        <p className={styles.summary} data-testid="live-summary">
          <span data-testid="live-buffered">{numberFormat.format(snapshot.events.length)}</span> in
          the tail · {numberFormat.format(snapshot.received)} received
          {held ? (paused ? " · paused" : " · held while scrolled up") : ""}
        </p>
      </div>
      <div className={styles.frame}>
        <div
          role="table"
          aria-label="Events, oldest first"
          aria-rowcount={events.length + 1}
          className={styles.table}
        >
          <div role="rowgroup" className={styles.head}>
            <div role="row" aria-rowindex={1} className={styles.headRow}>
              {["Offset", "Event time", "Topic", "Partition key", "Id", "Payload"].map((name) => (
                <div role="columnheader" key={name} className={styles.cell}>
                  {name}
                </div>
              ))}
            </div>
          </div>
          <div
            ref={viewport}
            role="rowgroup"
            tabIndex={0}
            aria-label="Event rows: scroll up to hold the view, End to follow again"
            className={styles.viewport}
            onScroll={onScroll}
            onKeyDown={onKeyDown}
            data-testid="live-tail"
          >
            <div className={styles.spacer} style={{ height: rows.totalHeight }}>
              {visible}
            </div>
            {/* A row of its own: a rowgroup holds only rows, even while it has no events. */}
            {events.length === 0 && (
              <div role="row" className={styles.empty}>
                <p role="cell" aria-colspan={6}>
                  {snapshot.active
                    ? "Waiting for events… new ones appear here as they reach the Lake."
                    : "Subscribe to one or more topics to follow their events."}
                </p>
              </div>
            )}
          </div>
        </div>
        {held && newCount > 0 && (
          <button
            type="button"
            className={styles.marker}
            onClick={follow}
            data-testid="live-new-marker"
          >
            <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
              <path d="M8 3v10M4 9l4 4 4-4" />
            </svg>
            {numberFormat.format(newCount)} new
            {newCount > snapshot.events.length
              ? ` (the latest ${snapshot.events.length} kept)`
              : ""}
            {" · show latest"}
          </button>
        )}
      </div>
      {selected && (
        <section className={styles.details} aria-label={`Event at offset ${selected.offset}`}>
          <div className={styles.detailsHead}>
            <h3 className={styles.detailsTitle}>Event at offset {selected.offset}</h3>
            <Button size="sm" variant="ghost" onClick={() => setSelected(null)}>
              Close
            </Button>
          </div>
          <pre className={styles.json} data-testid="live-event-json">
            {JSON.stringify(selected, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}
