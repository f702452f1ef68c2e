/** A path segment decoded, or undefined when its percent-escapes are malformed (`%ZZ`, `%E0%A4`). */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
