const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID in its text form: a reference that may be an id or a name is an id. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** A lookup by id when `ref` looks like one, by name otherwise (URLs take either). */
export const idOrName = (ref: string): { id: string } | { name: string } =>
  isUuid(ref) ? { id: ref } : { name: ref };
