/**
 * GraphiQL keeps tabs, history and pane sizes in localStorage, which every user of a browser
 * shares. This gives it a part of its own per console user, so one user's history is not the next
 * one's.
 */
export function userStorage(userId: string) {
  const prefix = `lake-query:${userId}:`;
  const ownKeys = () =>
    Array.from({ length: localStorage.length }, (_, index) => localStorage.key(index)).filter(
      (key): key is string => key?.startsWith(prefix) ?? false,
    );
  return {
    getItem: (key: string) => localStorage.getItem(prefix + key),
    setItem: (key: string, value: string) => localStorage.setItem(prefix + key, value),
    removeItem: (key: string) => localStorage.removeItem(prefix + key),
    clear: () => ownKeys().forEach((key) => localStorage.removeItem(key)),
    get length() {
      return ownKeys().length;
    },
  };
}
