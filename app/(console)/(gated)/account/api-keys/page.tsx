import type { Metadata } from "next";

import { MyApiKeys } from "@/components/api-keys/my-api-keys";

export const metadata: Metadata = { title: "My API keys" };

export default function ApiKeysPage() {
  return <MyApiKeys />;
}
