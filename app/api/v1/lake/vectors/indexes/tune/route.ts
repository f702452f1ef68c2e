export { POST } from "@/server/doors/rest/routes/vector-index-tune";

export const dynamic = "force-dynamic";
