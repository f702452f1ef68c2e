const texts = new WeakMap<object, string>();

/**
 * An event's payload as JSON text, written once per payload object: the size check, the log's
 * INSERT and the bus record each need it, and at tens of thousands of events a second three
 * JSON.stringify calls per event show in the profile (bench:stream).
 */
export function payloadJson(payload: Record<string, unknown>): string {
  let text = texts.get(payload);
  if (text === undefined) {
    text = JSON.stringify(payload);
    texts.set(payload, text);
  }
  return text;
}
