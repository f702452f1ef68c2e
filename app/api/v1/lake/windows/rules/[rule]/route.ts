export { DELETE, GET } from "@/server/doors/rest/routes/window-rule";

export const dynamic = "force-dynamic";
