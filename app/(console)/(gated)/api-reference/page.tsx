import type { Metadata } from "next";

import { ApiReference } from "@/components/api-reference/api-reference";
import { DoorsNav } from "@/components/api-reference/doors-nav";
import { buttonProps } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { buildOpenApiDocument } from "@/server/openapi/build-openapi";

import { publicOrigin } from "./public-origin";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiReferencePage() {
  const document = buildOpenApiDocument();
  return (
    <>
      <PageHeader
        title="API reference"
        description={`The REST API, version ${document.info.version}: generated from the schemas that validate its requests (OpenAPI ${document.openapi}). “Try it” sends a request as you, with your console session.`}
        actions={
          <a href="/api/v1/lake/openapi.json" download="openapi.json" {...buttonProps("secondary")}>
            Download openapi.json
          </a>
        }
      />
      <DoorsNav current="rest" />
      <ApiReference document={document} origin={await publicOrigin()} />
    </>
  );
}
