import { randomUUID } from "node:crypto";

import { type Redis } from "ioredis";

import { closeRedis, isRedisReady, keepErrorsQuiet, waitForRedis } from "../../cache/redis";
import { logger } from "../../observability/logger";
import { type StoredEvent } from "../events/stream-event";
import { partitionOf } from "../events/partition-of";
import { TOPICS } from "../events/topics";
import { fromBusRecord, toBusRecord } from "./bus-record";
import { type BusHandler, type EventBus } from "./event-bus";

export type RedisEventBusOptions = {
  /** The shared fail-fast client; blocking readers get duplicates of it. */
  redis: Redis;
  /** Prefix of the stream keys, e.g. "lake:bus:". */
  namespace: string;
  /** Streams per topic; an event's partition key picks one, so one key's events keep their order. */
  partitions: number;
  /** Events kept per stream, about: trimmed by entries (XADD MAXLEN ~) of up to 64 events. */
  maxLength: number;
  /** Entries older than this are trimmed (XTRIM MINID ~), checked every minute. */
  retentionMs: number;
  /** A pending entry idle this long belonged to a consumer that died: another claims it. */
  claimIdleMs?: number;
};

const BLOCK_MS = 1000;
const READ_COUNT = 1000;
const GROUP_COUNT = 200;
const CLAIM_IDLE_MS = 30_000;
const TRIM_EVERY_MS = 60_000;
const RETRY_MS = 1000;
/** Events per bus entry at most: bounds an entry, and one XREAD, whatever a publish holds. */
const RECORDS_PER_ENTRY = 64;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

type ClaimingClient = {
  xautoclaimBuffer(...args: (string | number)[]): Promise<unknown>;
};

type StreamReply = [key: Buffer, entries: [id: Buffer, fields: Buffer[]][]][] | null;

/**
 * `fields` is [name, value, name, value, …]. An entry holds up to RECORDS_PER_ENTRY events of one
 * publish for its stream, one "e" field each (a batch costs a few XADDs, not one per event); an
 * entry of the first format held one event under "r", still read. A reader of that format finds
 * no "r" in the new entries and skips them, its tail catching up from the log. The publisher's
 * instance is under "i".
 */
function entryOf(fields: Buffer[]): { records: Buffer[]; instance?: string } {
  const entry: { records: Buffer[]; instance?: string } = { records: [] };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    if (name === "e" || name === "r") entry.records.push(fields[i + 1]!);
    else if (name === "i") entry.instance = fields[i + 1]!.toString();
  }
  return entry;
}

function decode(records: Buffer[]): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const record of records) {
    try {
      const event = fromBusRecord(record);
      if (event) events.push(event);
    } catch (error) {
      logger().warn({ err: error }, "event-bus record could not be decoded; skipped");
    }
  }
  return events;
}

/**
 * The bus on Redis Streams: one stream per topic and partition, trimmed by length and age. An
 * instance reads every stream from "now" for its subscribers (XREAD), and skips what it published
 * itself (those reached its handlers directly). Processors read through consumer groups
 * (XREADGROUP), acknowledge what they handled, and claim what a dead consumer held.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const { redis, namespace, partitions } = options;
  const claimIdleMs = options.claimIdleMs ?? CLAIM_IDLE_MS;
  const maxEntries = Math.ceil(options.maxLength / RECORDS_PER_ENTRY);
  const instance = randomUUID();
  const keys = TOPICS.flatMap((topic) =>
    Array.from({ length: partitions }, (_, p) => `${namespace}${topic}:${p}`),
  );
  const keyOf = (event: StoredEvent) =>
    `${namespace}${event.topic}:${partitionOf(event.partitionKey, partitions)}`;
  const handlers = new Set<BusHandler>();
  const connections = new Set<Redis>();
  let closed = false;
  let reading: Promise<void> | undefined;
  let started!: () => void;
  const listening = new Promise<void>((resolve) => (started = resolve));

  const connection = () => {
    const client = keepErrorsQuiet(redis.duplicate({ connectionName: "lake-bus" }));
    connections.add(client);
    return client;
  };
  const emit = (events: StoredEvent[]) => {
    for (const handler of handlers) handler(events);
  };

  /** An id just before now on Redis's clock: "$" would skip what arrives between two reads. */
  async function now(client: Redis): Promise<string> {
    const [seconds, micros] = await client.time();
    return `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}-0`;
  }

  async function readAll() {
    const reader = connection();
    let ids: string[] | undefined;
    while (!closed) {
      try {
        if (!ids) {
          await waitForRedis(reader);
          const start = await now(reader);
          ids = keys.map(() => start);
          started();
        }
        const reply = await reader.xreadBuffer(
          "COUNT",
          READ_COUNT,
          "BLOCK",
          BLOCK_MS,
          "STREAMS",
          ...keys,
          ...ids,
        );
        const events: StoredEvent[] = [];
        for (const [key, entries] of reply ?? []) {
          ids[keys.indexOf(key.toString())] = entries.at(-1)![0].toString();
          for (const [, fields] of entries) {
            const entry = entryOf(fields);
            if (entry.instance !== instance) events.push(...decode(entry.records));
          }
        }
        if (events.length > 0) emit(events);
      } catch {
        if (!closed) await sleep(RETRY_MS);
      }
    }
  }

  const trimTimer = setInterval(() => {
    if (!isRedisReady(redis)) return;
    const minId = `${Date.now() - options.retentionMs}-0`;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.xtrim(key, "MINID", "~", minId);
    pipeline.exec().catch(() => undefined);
  }, TRIM_EVERY_MS).unref();

  return {
    mode: "redis",
    async publish(events) {
      if (events.length === 0 || closed) return;
      setImmediate(() => emit(events));
      if (!isRedisReady(redis)) return;
      const recordsByKey = new Map<string, Buffer[]>();
      for (const event of events) {
        const key = keyOf(event);
        let records = recordsByKey.get(key);
        if (!records) recordsByKey.set(key, (records = []));
        records.push(toBusRecord(event));
      }
      const pipeline = redis.pipeline();
      for (const [key, records] of recordsByKey) {
        for (let from = 0; from < records.length; from += RECORDS_PER_ENTRY) {
          const fields = records
            .slice(from, from + RECORDS_PER_ENTRY)
            .flatMap((record) => ["e", record]);
          pipeline.xadd(key, "MAXLEN", "~", maxEntries, "*", ...fields, "i", instance);
        }
      }
      // Other instances catch up from the log when this fails; the log has the events.
      await pipeline.exec().catch((error: unknown) => {
        logger().warn({ err: error }, "event-bus publish failed; subscribers read the log");
      });
    },
    onEvents(handler) {
      handlers.add(handler);
      reading ??= readAll();
      return () => void handlers.delete(handler);
    },
    listening: () => listening,
    consume({ group, consumer, handler }) {
      const client = connection();
      let stopped = false;
      let groupsExist!: () => void;
      const ready = new Promise<void>((resolve) => (groupsExist = resolve));
      const handle = async (key: string, entries: [Buffer, Buffer[]][]) => {
        if (entries.length === 0) return;
        const events = entries.flatMap(([, fields]) => decode(entryOf(fields).records));
        if (events.length > 0) await handler(events);
        await client.xack(key, group, ...entries.map(([id]) => id.toString()));
      };
      const run = async () => {
        let groupsReady = false;
        let lastClaim = 0;
        while (!closed && !stopped) {
          try {
            if (!groupsReady) {
              await waitForRedis(client);
              for (const key of keys) {
                await client.xgroup("CREATE", key, group, "$", "MKSTREAM").catch((error: Error) => {
                  if (!error.message.includes("BUSYGROUP")) throw error;
                });
              }
              groupsReady = true;
              groupsExist();
            }
            if (Date.now() - lastClaim > claimIdleMs / 6) {
              lastClaim = Date.now();
              for (const key of keys) {
                // ioredis has xautoclaimBuffer at run time but not in its types.
                const [, claimed] = (await (client as unknown as ClaimingClient).xautoclaimBuffer(
                  key,
                  group,
                  consumer,
                  claimIdleMs,
                  "0-0",
                  "COUNT",
                  GROUP_COUNT,
                )) as [Buffer, [Buffer, Buffer[]][]];
                await handle(key, claimed);
              }
            }
            const reply = (await client.xreadgroupBuffer(
              "GROUP",
              group,
              consumer,
              "COUNT",
              GROUP_COUNT,
              "BLOCK",
              BLOCK_MS,
              "STREAMS",
              ...keys,
              ...keys.map(() => ">"),
            )) as StreamReply;
            for (const [key, entries] of reply ?? []) await handle(key.toString(), entries);
          } catch (error) {
            // A handler that threw leaves its entries pending: they are claimed again later.
            if (!closed && !stopped) {
              logger().warn({ err: error, group }, "event-bus consumer failed; will retry");
              await sleep(RETRY_MS);
            }
          }
        }
      };
      const running = run();
      return {
        ready,
        async stop() {
          stopped = true;
          await running;
          connections.delete(client);
          await closeRedis(client);
        },
      };
    },
    async close() {
      closed = true;
      clearInterval(trimTimer);
      handlers.clear();
      // Closing the connections ends their blocked reads at once.
      await Promise.all([...connections].map((client) => closeRedis(client)));
      connections.clear();
      await reading;
    },
  };
}
