import type {
  ComponentsObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
} from "@/server/openapi/openapi-types";

/** Reads a `#/components/parameters/…` reference; parameters inline pass through. */
export function resolveParameter(
  parameter: ParameterObject | ReferenceObject,
  components: ComponentsObject,
): ParameterObject | undefined {
  if (!("$ref" in parameter)) return parameter;
  return components.parameters[parameter.$ref.replace("#/components/parameters/", "")];
}

/** One shell word, whatever the text: single quotes, each inner quote closed, escaped and reopened. */
export const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

// Percent-encodes what a query value needs, but leaves the commas, colons and parentheses of the
// filter syntax readable (`order=a.desc,b`, `in.(x,y)`).
const encode = (text: string) =>
  encodeURIComponent(text).replace(/%(2C|3A|28|29|2A)/g, (escaped) => decodeURIComponent(escaped));

/**
 * A curl command for an operation. It sends what the document gives an `example` to: path
 * parameters, the sample query, headers such as Idempotency-Key, and the request body; a
 * credential from `$LAKE_TOKEN` when the operation needs one.
 */
export function curlCommand(options: {
  origin: string;
  method: string;
  path: string;
  operation: OperationObject;
  components: ComponentsObject;
}): string {
  const { operation, components } = options;
  const parameters = (operation.parameters ?? [])
    .map((p) => resolveParameter(p, components))
    .filter((p): p is ParameterObject => p !== undefined && "example" in p);

  let path = options.path;
  const query: string[] = [];
  const headers: string[] = [];
  for (const parameter of parameters) {
    const value = parameter.example;
    if (parameter.in === "path") path = path.replace(`{${parameter.name}}`, encode(String(value)));
    else if (parameter.in === "header") headers.push(`${parameter.name}: ${String(value)}`);
    else if (parameter.in === "query") {
      const entries =
        parameter.style === "form" && parameter.explode && typeof value === "object" && value
          ? Object.entries(value)
          : [[parameter.name, value] as const];
      for (const [key, item] of entries) query.push(`${encode(key)}=${encode(String(item))}`);
    }
  }
  if (operation.security?.length) headers.unshift("Authorization: Bearer $LAKE_TOKEN");

  const media = operation.requestBody?.content["application/json"];
  const body = media
    ? "example" in media
      ? media.example
      : Object.values(media.examples ?? {})[0]?.value
    : undefined;
  if (body !== undefined) headers.push("Content-Type: application/json");

  const url = `${options.origin}${path}${query.length ? `?${query.join("&")}` : ""}`;
  const lines = [
    `curl ${options.method === "get" ? "" : `-X ${options.method.toUpperCase()} `}${shellQuote(url)}`,
    // Double quotes, so the shell expands $LAKE_TOKEN.
    ...headers.map((header) =>
      header.includes("$LAKE_TOKEN") ? `-H "${header}"` : `-H ${shellQuote(header)}`,
    ),
  ];
  if (body !== undefined) lines.push(`-d ${shellQuote(JSON.stringify(body))}`);
  return lines.join(" \\\n  ");
}
