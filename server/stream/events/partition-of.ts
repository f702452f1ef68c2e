/**
 * An event's partition among `partitions`, by its partition key: the bus's streams and the window
 * engine's leases split the same way. FNV-1a: cheap, stable across processes and versions, and it
 * spreads short keys well.
 */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
