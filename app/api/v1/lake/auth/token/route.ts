export { POST } from "@/server/doors/rest/routes/auth-token";

export const dynamic = "force-dynamic";
