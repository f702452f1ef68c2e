export { GET } from "@/server/doors/rest/routes/stream";

export const dynamic = "force-dynamic";
