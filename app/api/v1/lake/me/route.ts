export { GET } from "@/server/doors/rest/routes/me";

export const dynamic = "force-dynamic";
