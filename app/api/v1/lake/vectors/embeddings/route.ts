export { POST } from "@/server/doors/rest/routes/vector-embeddings";

export const dynamic = "force-dynamic";
