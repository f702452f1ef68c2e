import type {
  ComponentsObject,
  JsonSchema,
  ReferenceObject,
  ResponseObject,
} from "@/server/openapi/openapi-types";

import { MarkdownText } from "./markdown-text";
import { StatusCode } from "./method-badge";
import styles from "./operation.module.css";
import { SchemaFields } from "./schema-fields";
import { resolveSchema, typeLabel } from "./schema-summary";

function resolveResponse(
  response: ResponseObject | ReferenceObject,
  components: ComponentsObject,
): ResponseObject | undefined {
  if (!("$ref" in response)) return response;
  return components.responses[response.$ref.replace("#/components/responses/", "")];
}

function ResponseBody({
  mediaType,
  schema,
  components,
}: {
  mediaType: string;
  schema: JsonSchema;
  components: ComponentsObject;
}) {
  const { description } = resolveSchema(schema, components).schema;
  return (
    <details className={styles.details}>
      <summary>
        Body: <code>{typeLabel(schema, components)}</code>{" "}
        <span className={styles.mediaType}>{mediaType}</span>
      </summary>
      <div className={styles.panel}>
        {typeof description === "string" && (
          <MarkdownText text={description} className={styles.schemaDescription} />
        )}
        <SchemaFields schema={schema} components={components} />
      </div>
    </details>
  );
}

/**
 * Success answers with their headers and body fields; errors as one compact list, since they
 * all share the envelope described once at the top of the page.
 */
export function ResponsesList({
  responses,
  components,
}: {
  responses: Record<string, ResponseObject | ReferenceObject>;
  components: ComponentsObject;
}) {
  const entries = Object.entries(responses).flatMap(([status, value]) => {
    const response = resolveResponse(value, components);
    return response ? [{ status, response }] : [];
  });
  const successes = entries.filter(({ status }) => Number(status) < 400);
  const errors = entries.filter(({ status }) => Number(status) >= 400);
  return (
    <div className={styles.responses}>
      {successes.map(({ status, response }) => {
        const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
        const headers = Object.keys(response.headers ?? {});
        return (
          <div key={status} className={styles.response}>
            <div className={styles.responseHead}>
              <StatusCode status={status} />
              <MarkdownText text={response.description} />
            </div>
            {headers.length > 0 && (
              <p className={styles.note}>
                Headers:{" "}
                {headers.map((header, index) => (
                  <span key={header}>
                    {index > 0 && ", "}
                    <code>{header}</code>
                  </span>
                ))}
              </p>
            )}
            {media?.schema && (
              <ResponseBody mediaType={mediaType!} schema={media.schema} components={components} />
            )}
          </div>
        );
      })}
      {errors.length > 0 && (
        <details className={styles.details}>
          <summary>
            Errors:{" "}
            {errors.map(({ status }, index) => (
              <span key={status}>
                {index > 0 && ", "}
                {status}
              </span>
            ))}{" "}
            <span className={styles.mediaType}>in the error envelope</span>
          </summary>
          <ul className={styles.errorList}>
            {errors.map(({ status, response }) => (
              <li key={status}>
                <StatusCode status={status} />
                <MarkdownText text={response.description} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
