export { GET } from "@/server/doors/rest/routes/window-rule-windows";

export const dynamic = "force-dynamic";
