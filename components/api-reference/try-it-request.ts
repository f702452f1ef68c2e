/** A parameter as the "Try it" form shows it. */
export type TryItParameter = {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  /** The document's example, as text: the field's starting value. */
  example?: string;
  /**
   * An exploded object (the record filters: `payload.n=gt.1&…`): typed as a query string and
   * sent as its own parameters.
   */
  queryString?: boolean;
};

export const fieldKey = (parameter: Pick<TryItParameter, "in" | "name">) =>
  `${parameter.in}:${parameter.name}`;

const METHODS_WITH_BODY = new Set(["post", "put", "patch", "delete"]);

/**
 * The request a "Try it" form describes: a same-origin URL (so the console's session cookie goes
 * with it, and a browser adds `Origin` for the server's same-origin checks), the headers and the
 * JSON body — or what is missing or wrong, before anything is sent.
 */
export function buildTryItRequest(options: {
  method: string;
  path: string;
  parameters: readonly TryItParameter[];
  values: Readonly<Record<string, string>>;
  body?: string;
}): { url: string; init: RequestInit } | { error: string } {
  const { method, parameters, values } = options;
  let path = options.path;
  const query = new URLSearchParams();
  const headers = new Headers({ Accept: "application/json, text/csv, text/plain, */*" });

  for (const parameter of parameters) {
    const value = (values[fieldKey(parameter)] ?? "").trim();
    if (!value) {
      if (parameter.required) return { error: `Fill in ${parameter.name}.` };
      continue;
    }
    if (parameter.in === "path") {
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
    } else if (parameter.in === "header") {
      headers.set(parameter.name, value);
    } else if (parameter.queryString) {
      for (const [key, item] of new URLSearchParams(value.replace(/^\?/, ""))) {
        query.append(key, item);
      }
    } else {
      query.append(parameter.name, value);
    }
  }

  const init: RequestInit = { method: method.toUpperCase(), headers, credentials: "same-origin" };
  const body = options.body?.trim();
  if (body && METHODS_WITH_BODY.has(method)) {
    try {
      JSON.parse(body);
    } catch (error) {
      return { error: `The body is not valid JSON: ${(error as Error).message}` };
    }
    headers.set("Content-Type", "application/json");
    init.body = body;
  }
  const text = query.toString();
  return { url: text ? `${path}?${text}` : path, init };
}
