export { POST } from "@/server/doors/rest/routes/data-restore";

export const dynamic = "force-dynamic";
