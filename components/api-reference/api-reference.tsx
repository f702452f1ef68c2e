import type { HttpMethod, OpenAPIObject, OperationObject } from "@/server/openapi/openapi-types";
import { Card } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";

import { ApiSearch } from "./api-search";
import styles from "./api-reference.module.css";
import { MarkdownText } from "./markdown-text";
import { StatusCode } from "./method-badge";
import { Operation } from "./operation";
import { SchemaFields } from "./schema-fields";

// Client code takes only types from server/; this is the document's method order.
const HTTP_METHODS: readonly HttpMethod[] = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
];

type Entry = { method: HttpMethod; path: string; operation: OperationObject };

/** Operations by tag, in the document's tag order, each in path order. */
function groupByTag(
  document: OpenAPIObject,
): { name: string; description?: string; entries: Entry[] }[] {
  const entries = Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method, path, operation }] : [];
    }),
  );
  return (document.tags ?? [])
    .map((tag) => ({
      ...tag,
      entries: entries.filter(({ operation }) => operation.tags?.[0] === tag.name),
    }))
    .filter((group) => group.entries.length > 0);
}

const slug = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

/** The whole API reference, rendered from the OpenAPI document the API serves. */
export function ApiReference({ document, origin }: { document: OpenAPIObject; origin: string }) {
  const groups = groupByTag(document);
  const { components } = document;
  return (
    <div className={styles.layout}>
      <nav className={styles.toc} aria-label="Operations">
        <a href="#overview" className={styles.tocHeading}>
          Overview
        </a>
        <a href="#errors" className={styles.tocHeading}>
          Errors
        </a>
        {groups.map((group) => (
          <div key={group.name} className={styles.tocGroup}>
            <a href={`#${slug(group.name)}`} className={styles.tocHeading}>
              {group.name}
            </a>
            <ul className={styles.tocList}>
              {group.entries.map(({ method, path, operation }) => (
                <li key={`${method} ${path}`}>
                  <a href={`#${operation.operationId}`} className={styles.tocLink}>
                    <span className={styles.tocMethod} data-method={method}>
                      {method.toUpperCase()}
                    </span>
                    <span className={styles.tocLabel}>{operation.summary}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>

      <div className={styles.content}>
        <ApiSearch
          entries={groups.flatMap((group) =>
            group.entries.map(({ method, path, operation }) => ({
              id: operation.operationId ?? `${method}-${path}`,
              method,
              path,
              summary: operation.summary ?? "",
              tag: group.name,
            })),
          )}
        />
        <Card title="Overview" id="overview">
          {document.info.description && <MarkdownText text={document.info.description} />}
          <CopyField label="Base URL" value={origin} />
          <p className={styles.hint}>
            The examples read the credential from <code>$LAKE_TOKEN</code>: an API key, or a token
            from <code>POST /api/v1/lake/auth/token</code>. Keys are created under Account → API
            keys.
          </p>
        </Card>

        <Card title="Errors" id="errors">
          <MarkdownText text="Every error answer has this body, whatever the endpoint and status:" />
          <div className={styles.panel}>
            <SchemaFields
              schema={{ $ref: "#/components/schemas/ErrorEnvelope" }}
              components={components}
            />
          </div>
          <ul className={styles.statusList}>
            {errorStatuses(document).map(([name, status]) => (
              <li key={name}>
                <StatusCode status={status} />
                <MarkdownText text={components.responses[name]?.description ?? ""} />
              </li>
            ))}
          </ul>
        </Card>

        {groups.map((group) => (
          <section
            key={group.name}
            id={slug(group.name)}
            className={styles.group}
            aria-labelledby={`${slug(group.name)}-title`}
          >
            <header className={styles.groupHeader}>
              <h2 id={`${slug(group.name)}-title`} className={styles.groupTitle}>
                {group.name}
              </h2>
              {group.description && <p className={styles.groupDescription}>{group.description}</p>}
            </header>
            {group.entries.map(({ method, path, operation }) => (
              <Operation
                key={`${method} ${path}`}
                method={method}
                path={path}
                operation={operation}
                components={components}
                origin={origin}
              />
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}

/** The status each shared error response is listed under, by component name. */
function errorStatuses(document: OpenAPIObject): [name: string, status: string][] {
  const statuses = new Map<string, string>();
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      for (const [status, response] of Object.entries(item[method]?.responses ?? {})) {
        if ("$ref" in response) statuses.set(response.$ref.split("/").at(-1)!, status);
      }
    }
  }
  return [...statuses].sort(([, a], [, b]) => a.localeCompare(b));
}
