import type { ComponentsObject, JsonSchema } from "@/server/openapi/openapi-types";

import { MarkdownText } from "./markdown-text";
import styles from "./schema-fields.module.css";
import {
  childrenOf,
  constraintsOf,
  resolveSchema,
  typeLabel,
  variantLabel,
  variantsOf,
  type Field,
} from "./schema-summary";

// Deep enough for every schema of this API; a guard against a self-referencing one.
const MAX_DEPTH = 6;

type SchemaFieldsProps = { schema: JsonSchema; components: ComponentsObject; depth?: number };

/** A schema as a nested list of fields with their types, whether required, and descriptions. */
export function SchemaFields({ schema, components, depth = 0 }: SchemaFieldsProps) {
  const children = childrenOf(schema, components);
  if (!children) {
    return <p className={styles.plain}>{typeLabel(schema, components)}</p>;
  }
  if (children.kind === "variants") {
    return (
      <div className={styles.variants}>
        <p className={styles.oneOf}>One of:</p>
        {children.variants.map((variant, index) => (
          <div key={index} className={styles.variant}>
            <p className={styles.variantLabel}>{variantLabel(variant, components, index)}</p>
            <SchemaFields schema={variant} components={components} depth={depth + 1} />
          </div>
        ))}
      </div>
    );
  }
  return (
    <ul className={styles.fields}>
      {children.fields.map((field) => (
        <FieldItem key={field.name} field={field} components={components} depth={depth} />
      ))}
    </ul>
  );
}

function FieldItem({
  field,
  components,
  depth,
}: {
  field: Field;
  components: ComponentsObject;
  depth: number;
}) {
  const { schema } = resolveSchema(field.schema, components);
  const { variants } = variantsOf(schema);
  // A nullable field's limits sit on its non-null variant.
  const constraints = constraintsOf(schema).concat(
    variants.length === 1 ? constraintsOf(variants[0]!) : [],
  );
  const description = field.schema.description ?? schema.description;
  const nested = depth < MAX_DEPTH ? childrenOf(field.schema, components) : undefined;
  return (
    <li className={styles.field}>
      <div className={styles.head}>
        <code className={styles.name}>{field.name}</code>
        <span className={styles.type}>{typeLabel(field.schema, components)}</span>
        {field.required ? (
          <span className={styles.required}>required</span>
        ) : (
          <span className={styles.optional}>optional</span>
        )}
      </div>
      {typeof description === "string" && (
        <MarkdownText text={description} className={styles.description} />
      )}
      {constraints.length > 0 && <p className={styles.constraints}>{constraints.join(" · ")}</p>}
      {nested && (
        <div className={styles.nested}>
          <SchemaFields schema={field.schema} components={components} depth={depth + 1} />
        </div>
      )}
    </li>
  );
}
