/** Appends to a buffer that keeps only the newest `max` items; a new array each time. */
export function appendBounded<T>(buffer: readonly T[], incoming: readonly T[], max: number): T[] {
  if (incoming.length >= max) return incoming.slice(incoming.length - max);
  const drop = Math.max(0, buffer.length + incoming.length - max);
  return (drop === 0 ? buffer : buffer.slice(drop)).concat(incoming);
}
