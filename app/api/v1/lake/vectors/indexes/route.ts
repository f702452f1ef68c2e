export { GET } from "@/server/doors/rest/routes/vector-indexes";

export const dynamic = "force-dynamic";
