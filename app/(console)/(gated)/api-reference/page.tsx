import type { Metadata } from "next";
import { headers } from "next/headers";

import { ApiReference } from "@/components/api-reference/api-reference";
import { buttonProps } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { env } from "@/server/env";
import { buildOpenApiDocument } from "@/server/openapi/build-openapi";

export const metadata: Metadata = { title: "API reference" };

/** Where this console is reached: the configured public URL, else the request's own origin. */
async function publicOrigin(): Promise<string> {
  const configured = env().LAKE_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host") ?? "localhost:3000";
  const protocol = request.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${protocol}://${host}`;
}

export default async function ApiReferencePage() {
  const document = buildOpenApiDocument();
  return (
    <>
      <PageHeader
        title="API reference"
        description={`The REST API, version ${document.info.version}: generated from the schemas that validate its requests (OpenAPI ${document.openapi}).`}
        actions={
          <a href="/api/v1/lake/openapi.json" download="openapi.json" {...buttonProps("secondary")}>
            Download openapi.json
          </a>
        }
      />
      <ApiReference document={document} origin={await publicOrigin()} />
    </>
  );
}
