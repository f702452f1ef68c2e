import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { MfaCard } from "@/components/account/mfa/mfa-card";
import { Banner } from "@/components/ui/banner";
import { buttonProps } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Stack } from "@/components/ui/stack";

import { currentUser } from "../../current-user";

export const metadata: Metadata = { title: "Security" };

// Outside the (gated) group on purpose: a user whose role requires MFA is sent here to enroll.
export default async function SecurityPage() {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <>
      <PageHeader
        title="Security"
        description="How you sign in: your password and two-factor authentication."
      />
      <Stack>
        {user.mustChangePassword && (
          <Banner tone="warning" role="status">
            <strong>Change your password first.</strong> Your account still has a temporary
            password. <Link href="/account/password">Choose a new one</Link>.
          </Banner>
        )}
        {!user.mustChangePassword && user.mfaEnrollmentRequired && (
          <Banner tone="warning" role="status" data-testid="mfa-gate">
            <strong>Set up two-factor authentication to continue.</strong> One of your roles
            requires it; the rest of the console opens once it is on.
          </Banner>
        )}
        <MfaCard email={user.principal.email} />
        <Card title="Password">
          <p>Changing your password signs you out on every device.</p>
          <div>
            <Link href="/account/password" {...buttonProps("secondary")}>
              Change password
            </Link>
          </div>
        </Card>
      </Stack>
    </>
  );
}
