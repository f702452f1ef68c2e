export { DELETE, GET } from "@/server/doors/rest/routes/alert-rule";

export const dynamic = "force-dynamic";
