import Link from "next/link";

import { buttonProps } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** What a signed-in user sees on a page their roles do not open (by default: an admin page). */
export function Forbidden({
  title = "403 · Administrators only",
  description = "Users, roles, everyone's API keys and the audit log are managed by administrators. Ask one if you need access.",
}: {
  title?: string;
  description?: string;
}) {
  return (
    <>
      <PageHeader title={title} />
      <div data-testid="forbidden">
        <EmptyState
          title="You do not have access to this page"
          description={description}
          action={
            <Link href="/" {...buttonProps("secondary")}>
              Back to the dashboard
            </Link>
          }
        />
      </div>
    </>
  );
}
