import type { Metadata } from "next";

import { VectorsConsole } from "@/components/vectors/vectors-console";
import { isAdmin } from "@/server/auth/principal";

import { currentUser } from "../../current-user";

export const metadata: Metadata = { title: "Vectors" };

/** Everyone with read access searches; only administrators see "Tune now" (the API checks too). */
export default async function VectorsPage() {
  const user = await currentUser();
  return <VectorsConsole admin={user !== null && isAdmin(user.principal)} />;
}
