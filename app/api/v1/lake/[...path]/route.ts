export { DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT } from "@/server/doors/rest/routes/not-found";

export const dynamic = "force-dynamic";
