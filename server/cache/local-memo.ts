import { LRUCache } from "lru-cache";

import { singleton } from "../singleton";
import { cacheServicesIfStarted } from "./client";

export type LocalMemoOptions = {
  /** Names the memo and its pub/sub channel; one memo per name per process. */
  name: string;
  /** Bounds how long an entry can outlive a change whose invalidation message was lost. */
  ttlMs: number;
  /** Most entries kept per store. Default 10 000. */
  max?: number;
};

export type LocalMemo<T extends object> = {
  /**
   * The value for `key` in `store` (a database client: two databases in one process, as in the
   * tests, never share entries), loading it on a miss. Loads that find nothing are not kept.
   */
  get(store: object, key: string, load: () => Promise<T | null>): Promise<T | null>;
  /** Drops every entry, here at once and in every other process through pub/sub. */
  invalidate(): Promise<void>;
};

const channelOf = (name: string) => `memo:${name}:invalidate`;

/**
 * A process-local memo of rows that are read on every request and change rarely (API keys,
 * datasets): a hit costs no round trip at all. Writers call `invalidate()` after their change
 * commits; other processes hear it over pub/sub (Redis, when configured) and the TTL bounds the
 * damage of a message lost while Redis was away.
 */
export function localMemo<T extends object>(options: LocalMemoOptions): LocalMemo<T> {
  return singleton(`local-memo:${options.name}`, () => createLocalMemo<T>(options));
}

function createLocalMemo<T extends object>(options: LocalMemoOptions): LocalMemo<T> {
  let stores = new WeakMap<object, LRUCache<string, T>>();
  let subscribedTo: object | undefined;

  // Subscribes once per cache-services instance (tests start several in one process).
  const listen = () => {
    const services = cacheServicesIfStarted();
    if (!services || subscribedTo === services) return;
    subscribedTo = services;
    void services.pubsub
      .subscribe(channelOf(options.name), () => {
        stores = new WeakMap();
      })
      .catch(() => undefined);
  };

  return {
    async get(store, key, load) {
      listen();
      let entries = stores.get(store);
      if (!entries) {
        entries = new LRUCache<string, T>({ max: options.max ?? 10_000, ttl: options.ttlMs });
        stores.set(store, entries);
      }
      const hit = entries.get(key);
      if (hit) return hit;
      const loaded = await load();
      if (loaded) entries.set(key, loaded);
      return loaded;
    },
    async invalidate() {
      stores = new WeakMap();
      await cacheServicesIfStarted()
        ?.pubsub.publish(channelOf(options.name), {})
        .catch(() => undefined);
    },
  };
}
