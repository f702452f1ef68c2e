/**
 * Offsets are decimal strings (they outgrow 2^53 one day) without leading zeros, so comparing
 * their lengths, then the digits, orders them as numbers without a BigInt per event.
 */
export function compareOffsets(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const isOffset = (value: string) => /^\d{1,19}$/.test(value);
