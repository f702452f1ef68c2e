export { DELETE, GET, PUT } from "@/server/doors/rest/routes/record-embedding";

export const dynamic = "force-dynamic";
