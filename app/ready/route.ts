export { GET } from "@/server/doors/rest/routes/ready";

export const dynamic = "force-dynamic";
