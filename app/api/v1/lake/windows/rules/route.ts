export { GET, POST } from "@/server/doors/rest/routes/window-rules";

export const dynamic = "force-dynamic";
