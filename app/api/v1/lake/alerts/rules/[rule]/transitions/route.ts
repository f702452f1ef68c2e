export { GET } from "@/server/doors/rest/routes/alert-rule-transitions";

export const dynamic = "force-dynamic";
