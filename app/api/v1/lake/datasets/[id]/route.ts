export { DELETE, GET, PATCH } from "@/server/doors/rest/routes/dataset";

export const dynamic = "force-dynamic";
