/** The platform's Date, as it was when the process loaded this module (before Next started). */
const NativeDate = globalThis.Date;

/**
 * Next 16 replaces the global Date when its server starts (`app.prepare()`) with a wrapper that
 * reports clock reads to cacheComponents' prerendering
 * (next/dist/server/node-environment-extensions/date.js). The Lake does not turn cacheComponents
 * on (next.config.js; native-date.test.ts holds it to that), and the wrapper builds every Date
 * through Reflect.construct: `new Date(ms)` costs twice the native one, on every request, event
 * and row this process handles (bench:stream). This puts the platform's Date back.
 */
export function restoreNativeDate(): void {
  if (globalThis.Date === NativeDate) return;
  globalThis.Date = NativeDate;
  Object.defineProperty(NativeDate.prototype, "constructor", {
    value: NativeDate,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
