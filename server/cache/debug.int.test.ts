import { it } from "vitest";
import { createCacheServices } from "./cache-services";
import { sleep } from "./test-support";
it("debug", async () => {
  const t0 = performance.now();
  const log = (...a: unknown[]) => console.log(Math.round(performance.now() - t0), ...a);
  const s = await createCacheServices({ redisUrl: "redis://127.0.0.1:1" });
  log("created");
  await s.cache.set("a", 1, 60); log("set");
  const l = s.createRateLimiter({ keyPrefix: "x", points: 1, durationSeconds: 10 });
  log(await l.consume("k"));
  await s.pubsub.subscribe("e", (m) => log("got", m)); log("subscribed");
  await s.pubsub.publish("e", 1); log("published");
  const q = s.createJobQueue<{ n: number }>({ name: "q" });
  q.process(async (j) => log("job", j.data)); log("process");
  await q.add({ n: 1 }); log("added");
  await sleep(100);
  await s.close(); log("closed");
}, 10000);
