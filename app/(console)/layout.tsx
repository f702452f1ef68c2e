import { redirect } from "next/navigation";
import type { ReactNode } from "react";

import { ConsoleProviders } from "@/components/providers/trpc";
import { ConsoleShell } from "@/components/shell/console-shell";
import { navSectionsFor } from "@/components/shell/nav-items";
import { isAdmin } from "@/server/auth/principal";

import { currentUser } from "./current-user";

/** Every console page needs a signed-in user; the sidebar shows what this one may open. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <ConsoleProviders>
      <ConsoleShell
        email={user.principal.email}
        sections={navSectionsFor({
          admin: isAdmin(user.principal),
          permissions: user.principal.permissions,
        })}
      >
        {children}
      </ConsoleShell>
    </ConsoleProviders>
  );
}
