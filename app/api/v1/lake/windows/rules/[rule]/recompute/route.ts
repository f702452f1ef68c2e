export { POST } from "@/server/doors/rest/routes/window-rule-recompute";

export const dynamic = "force-dynamic";
