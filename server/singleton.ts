/**
 * One value per process, whoever asks. The custom server (server/main.ts) and Next's bundled
 * route handlers load separate copies of every module, so module-level singletons would be
 * created twice; values kept on globalThis are shared (ENVIRONMENT.md, Epic Stack's pattern).
 */
const store = globalThis as typeof globalThis & { __datapunkLake?: Map<string, unknown> };

export function singleton<T>(name: string, create: () => T): T {
  store.__datapunkLake ??= new Map();
  if (!store.__datapunkLake.has(name)) store.__datapunkLake.set(name, create());
  return store.__datapunkLake.get(name) as T;
}

/** A slot that the process entry fills once and every module reads. */
export function slot<T>(name: string) {
  const holder = singleton(name, () => ({ value: undefined as T | undefined }));
  return {
    get: () => holder.value,
    set: (value: T | undefined) => {
      holder.value = value;
    },
  };
}
