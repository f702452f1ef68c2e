export { GET } from "@/server/doors/rest/routes/data-export";

export const dynamic = "force-dynamic";
