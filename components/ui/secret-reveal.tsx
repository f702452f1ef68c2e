import type { ReactNode } from "react";

import { Banner } from "./banner";
import { CopyField } from "./copy-field";

/** A secret the server returns once (an API key, a password): the value and the warning. */
export function SecretReveal({
  label,
  secret,
  children,
  "data-testid": testId,
}: {
  label: string;
  secret: string;
  /** What to do with it; shown in the warning. */
  children: ReactNode;
  "data-testid"?: string;
}) {
  return (
    <>
      <Banner tone="warning">
        <strong>Copy it now: it is shown only once.</strong> {children}
      </Banner>
      <CopyField label={label} value={secret} data-testid={testId} />
    </>
  );
}
