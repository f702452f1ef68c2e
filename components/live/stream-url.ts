/** The stream door's path (server/doors/websocket/stream-path.ts), on this page's origin. */
export function streamUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/api/v1/lake/stream`;
}
