import type { Metadata } from "next";

import { MyApiKeys } from "@/components/api-keys/my-api-keys";

export const metadata: Metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return <MyApiKeys />;
}
