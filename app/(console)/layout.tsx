import type { ReactNode } from "react";

import { ConsoleProviders } from "@/components/providers/trpc";
import { ConsoleShell } from "@/components/shell/console-shell";

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <ConsoleProviders>
      <ConsoleShell>{children}</ConsoleShell>
    </ConsoleProviders>
  );
}
