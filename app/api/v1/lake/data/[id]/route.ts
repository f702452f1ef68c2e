export { DELETE, GET, PUT } from "@/server/doors/rest/routes/data-record";

export const dynamic = "force-dynamic";
