import type {
  ComponentsObject,
  HttpMethod,
  OperationObject,
  ParameterObject,
} from "@/server/openapi/openapi-types";
import { Badge } from "@/components/ui/badge";
import { CopyField } from "@/components/ui/copy-field";

import { curlCommand, resolveParameter } from "./curl";
import { MarkdownText } from "./markdown-text";
import { MethodBadge } from "./method-badge";
import styles from "./operation.module.css";
import { ParametersTable } from "./parameters-table";
import { ResponsesList } from "./responses-list";
import { SchemaFields } from "./schema-fields";
import { isClosed, resolveSchema } from "./schema-summary";
import { TryIt } from "./try-it";
import { type TryItParameter } from "./try-it-request";

const PERMISSION_LABELS: Record<NonNullable<OperationObject["x-permission"]>, string> = {
  read: "Needs read",
  write: "Needs write",
  delete: "Needs delete",
  authenticated: "Any credential",
  none: "No credential",
};

/** The parameters the "Try it" form offers, each with the document's example to start from. */
function tryItParameters(parameters: readonly ParameterObject[]): TryItParameter[] {
  return parameters.flatMap((parameter) => {
    if (parameter.in === "cookie") return [];
    const example = "example" in parameter ? parameter.example : undefined;
    const queryString = parameter.style === "form" && parameter.explode === true;
    const text =
      example === undefined
        ? undefined
        : queryString && typeof example === "object" && example
          ? new URLSearchParams(
              Object.entries(example as Record<string, string | number | boolean>).map(
                ([key, value]) => [key, String(value)],
              ),
            ).toString()
          : typeof example === "string"
            ? example
            : JSON.stringify(example);
    return [
      {
        name: parameter.name,
        in: parameter.in,
        required: parameter.required === true,
        example: text,
        queryString: queryString || undefined,
      },
    ];
  });
}

/** The document's example request body as editable JSON ("{}" for one without an example). */
function exampleBodyOf(operation: OperationObject): string | undefined {
  const media = operation.requestBody?.content["application/json"];
  if (!media) return undefined;
  const example =
    "example" in media ? media.example : Object.values(media.examples ?? {})[0]?.value;
  return JSON.stringify(example ?? {}, null, 2);
}

type OperationProps = {
  method: HttpMethod;
  path: string;
  operation: OperationObject;
  components: ComponentsObject;
  /** Where the curl example sends the request. */
  origin: string;
};

/** One operation: what it does, what it takes, what it answers, and how to call it. */
export function Operation({ method, path, operation, components, origin }: OperationProps) {
  const parameters = (operation.parameters ?? [])
    .map((p) => resolveParameter(p, components))
    .filter((p): p is ParameterObject => p !== undefined);
  const body = operation.requestBody?.content["application/json"]?.schema;
  const bodySchema = body ? resolveSchema(body, components) : undefined;
  const permission = operation["x-permission"];
  return (
    <article
      id={operation.operationId}
      className={styles.operation}
      aria-labelledby={`${operation.operationId}-title`}
      data-testid="api-operation"
    >
      <header className={styles.header}>
        <div className={styles.signature}>
          <MethodBadge method={method} />
          <code className={styles.path}>{path}</code>
          {permission && (
            <Badge tone="neutral" icon={false}>
              {PERMISSION_LABELS[permission]}
            </Badge>
          )}
        </div>
        <h3 id={`${operation.operationId}-title`} className={styles.summary}>
          {operation.summary}
        </h3>
      </header>
      <div className={styles.body}>
        {operation.description && <MarkdownText text={operation.description} />}

        {parameters.length > 0 && (
          <section className={styles.part}>
            <h4 className={styles.partTitle}>Parameters</h4>
            <ParametersTable
              parameters={parameters}
              components={components}
              caption={`Parameters of ${method.toUpperCase()} ${path}`}
            />
          </section>
        )}

        {body && bodySchema && (
          <section className={styles.part}>
            <h4 className={styles.partTitle}>
              Request body <span className={styles.mediaType}>application/json</span>
            </h4>
            {typeof bodySchema.schema.description === "string" && (
              <MarkdownText text={bodySchema.schema.description} />
            )}
            <div className={styles.panel}>
              <SchemaFields schema={body} components={components} />
            </div>
            {isClosed(body, components) && (
              <p className={styles.note}>Fields that are not listed are refused with a 400.</p>
            )}
          </section>
        )}

        <section className={styles.part}>
          <h4 className={styles.partTitle}>Responses</h4>
          <ResponsesList responses={operation.responses} components={components} />
        </section>

        <CopyField
          label="Example request"
          value={curlCommand({ origin, method, path, operation, components })}
        />

        <TryIt
          method={method}
          path={path}
          parameters={tryItParameters(parameters)}
          exampleBody={exampleBodyOf(operation)}
        />
      </div>
    </article>
  );
}
