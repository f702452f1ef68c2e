export { GET } from "@/server/doors/rest/routes/audit-export";

export const dynamic = "force-dynamic";
