export { GET } from "@/server/doors/rest/routes/record-embeddings";

export const dynamic = "force-dynamic";
