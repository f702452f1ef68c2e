import type { ComponentsObject, ParameterObject } from "@/server/openapi/openapi-types";
import { Table } from "@/components/ui/table";

import { MarkdownText } from "./markdown-text";
import styles from "./operation.module.css";
import { constraintsOf, typeLabel } from "./schema-summary";

function examplesOf(parameter: ParameterObject): string[] {
  const values =
    "example" in parameter
      ? [parameter.example]
      : Object.values(parameter.examples ?? {}).map((e) => e.value);
  return values.map((value) =>
    typeof value === "object" && value !== null
      ? Object.entries(value)
          .map(([key, item]) => `${key}=${String(item)}`)
          .join("&")
      : String(value),
  );
}

export function ParametersTable({
  parameters,
  components,
  caption,
}: {
  parameters: ParameterObject[];
  components: ComponentsObject;
  caption: string;
}) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">In</th>
          <th scope="col">Type</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((parameter) => {
          const notes = constraintsOf(parameter.schema);
          const examples = examplesOf(parameter);
          return (
            <tr key={`${parameter.in}:${parameter.name}`}>
              <th scope="row" className={styles.parameterName}>
                <code>{parameter.name}</code>
                {parameter.required && <span className={styles.required}>required</span>}
              </th>
              <td>{parameter.in}</td>
              <td className={styles.parameterType}>
                {parameter.style === "form" && parameter.explode
                  ? "string (one per filter)"
                  : typeLabel(parameter.schema, components)}
              </td>
              <td className={styles.parameterDescription}>
                {parameter.description && <MarkdownText text={parameter.description} />}
                {notes.length > 0 && <p className={styles.note}>{notes.join(" · ")}</p>}
                {examples.length > 0 && (
                  <p className={styles.note}>
                    Example: <code>{examples[0]}</code>
                  </p>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
