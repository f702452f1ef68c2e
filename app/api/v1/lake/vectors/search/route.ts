export { POST } from "@/server/doors/rest/routes/vector-search";

export const dynamic = "force-dynamic";
