export { GET } from "@/server/doors/rest/routes/openapi-document";

export const dynamic = "force-dynamic";
