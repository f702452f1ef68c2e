/**
 * The host the browser addressed: `Host`, or the first `X-Forwarded-Host` behind a proxy we trust
 * (LAKE_TRUST_PROXY). Without that trust anyone can send the header, as with X-Forwarded-For.
 */
function addressedHost(headers: Headers, trustProxy: boolean): string | null {
  const forwarded = trustProxy ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : null;
  return forwarded || headers.get("host");
}

/**
 * Whether a request comes from a page of this origin: its `Origin` is an http(s) URL for the host
 * the request addressed (ports and case compared as URLs compare them). `Origin: null` (sandboxed
 * frames, privacy redirects) and anything unparsable are simply not this origin.
 */
export function isSameOrigin(headers: Headers, options: { trustProxy: boolean }): boolean {
  const origin = headers.get("origin");
  const host = addressedHost(headers, options.trustProxy);
  if (!origin || !host || !URL.canParse(origin)) return false;
  const { protocol, host: originHost } = new URL(origin);
  if (protocol !== "https:" && protocol !== "http:") return false;
  const addressed = `${protocol}//${host}`;
  return URL.canParse(addressed) && new URL(addressed).host === originHost;
}
