// The parts of OpenAPI 3.1 this API's document uses, typed so that a misspelt field fails the
// build. Schemas are JSON Schema 2020-12 (the 3.1 dialect), produced by zod, so they stay loose.

/** A JSON Schema 2020-12 object; `$ref` points into `#/components/schemas`. */
export type JsonSchema = { [keyword: string]: unknown };

export type ReferenceObject = { $ref: string; summary?: string; description?: string };

export type ExampleObject = { summary?: string; description?: string; value: unknown };

export type HeaderObject = {
  description?: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
};

export type MediaTypeObject = {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, ExampleObject>;
};

export type ParameterObject = {
  name: string;
  in: "query" | "header" | "path" | "cookie";
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  style?: "form" | "simple" | "deepObject";
  explode?: boolean;
  schema: JsonSchema;
  /** Sent in the console's curl example; `examples` are documentation only. */
  example?: unknown;
  examples?: Record<string, ExampleObject>;
};

export type RequestBodyObject = {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
};

export type ResponseObject = {
  description: string;
  headers?: Record<string, HeaderObject | ReferenceObject>;
  content?: Record<string, MediaTypeObject>;
};

/** Any one of the listed requirements satisfies the operation; `[]` means no credential. */
export type SecurityRequirementObject = Record<string, string[]>;

export type OperationObject = {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  parameters?: (ParameterObject | ReferenceObject)[];
  requestBody?: RequestBodyObject;
  /** Keyed by status code ("200", "404"). */
  responses: Record<string, ResponseObject | ReferenceObject>;
  security?: SecurityRequirementObject[];
  deprecated?: boolean;
  /** The permission the caller's roles (and API key scopes) must grant. */
  "x-permission"?: "read" | "write" | "delete" | "authenticated" | "none";
};

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItemObject = { summary?: string; description?: string } & Partial<
  Record<HttpMethod, OperationObject>
>;

export type SecuritySchemeObject =
  | { type: "http"; scheme: "bearer"; bearerFormat?: string; description?: string }
  | { type: "apiKey"; name: string; in: "header" | "query" | "cookie"; description?: string };

export type ComponentsObject = {
  schemas: Record<string, JsonSchema>;
  responses: Record<string, ResponseObject>;
  parameters: Record<string, ParameterObject>;
  headers: Record<string, HeaderObject>;
  securitySchemes: Record<string, SecuritySchemeObject>;
};

export type TagObject = { name: string; description?: string };

export type OpenAPIObject = {
  openapi: "3.1.0";
  info: {
    title: string;
    version: string;
    summary?: string;
    description?: string;
  };
  jsonSchemaDialect?: string;
  servers?: { url: string; description?: string }[];
  tags?: TagObject[];
  paths: Record<string, PathItemObject>;
  components: ComponentsObject;
};
