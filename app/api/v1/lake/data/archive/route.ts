export { POST } from "@/server/doors/rest/routes/data-archive";

export const dynamic = "force-dynamic";
