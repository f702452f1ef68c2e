import type { ReactNode } from "react";

import { AuthFrame } from "@/components/auth/auth-frame";

/** Sign-in pages: centred on their own, without the console's sidebar. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return <AuthFrame>{children}</AuthFrame>;
}
