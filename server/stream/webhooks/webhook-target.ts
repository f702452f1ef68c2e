import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

import { AppError } from "../../errors/app-error";

// Where a webhook may not point unless configuration allows it: this host, private networks,
// link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, and their IPv6 kin.
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv6");
}

function isPrivate(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, "ipv4");
  return PRIVATE.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * Checks that a webhook URL is http(s) and, unless `allowPrivate`, that every address its host
 * resolves to is public — at creation, and again before each delivery, since a name can be made
 * to resolve elsewhere later.
 */
export async function checkWebhookTarget(url: string, allowPrivate: boolean): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("validation_failed", "The webhook URL is not a URL.", [
      { path: "url", message: "An absolute http(s) URL." },
    ]);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new AppError("validation_failed", "A webhook URL is http or https.", [
      { path: "url", message: `${parsed.protocol} is not http(s).` },
    ]);
  }
  if (parsed.username || parsed.password) {
    throw new AppError("validation_failed", "A webhook URL carries no credentials.", [
      { path: "url", message: "Sign deliveries with the webhook's secret instead." },
    ]);
  }
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new AppError("validation_failed", "The webhook's host does not resolve.", [
      { path: "url", message: `${host} has no address.` },
    ]);
  }
  if (addresses.some(isPrivate)) {
    throw new AppError(
      "validation_failed",
      "Webhooks to loopback or private networks are refused (LAKE_WEBHOOK_ALLOW_PRIVATE).",
      [{ path: "url", message: `${host} is not a public address.` }],
    );
  }
}
