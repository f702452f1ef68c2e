import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { ChangePasswordForm } from "@/components/account/change-password-form";
import { Banner } from "@/components/ui/banner";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Stack } from "@/components/ui/stack";

import { currentUser } from "../../current-user";

export const metadata: Metadata = { title: "Change password" };

// Outside the (gated) group on purpose: a user who must change their password is sent here.
export default async function ChangePasswordPage() {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <>
      <PageHeader
        title="Change password"
        description="Changing your password signs you out everywhere, including here."
      />
      <Stack>
        {user.mustChangePassword && (
          <Banner tone="warning" role="status" data-testid="password-gate">
            <strong>Choose a new password to continue.</strong> Your account has a temporary
            password from an administrator; the rest of the console opens once you have replaced it.
          </Banner>
        )}
        <Card title="Choose a new password">
          <ChangePasswordForm />
        </Card>
      </Stack>
    </>
  );
}
