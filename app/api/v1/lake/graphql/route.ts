export { GET, POST } from "@/server/doors/graphql/graphql-route";

export const dynamic = "force-dynamic";
