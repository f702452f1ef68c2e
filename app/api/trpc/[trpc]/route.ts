export { GET, POST } from "@/server/doors/trpc/fetch-handler";

export const dynamic = "force-dynamic";
