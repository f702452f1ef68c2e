import { Badge } from "@/components/ui/badge";

import { POLICY_INFO, type DatasetPolicy } from "./data-types";

/** Who sees a dataset's records; a plain tag, since a policy is not a status. */
export function PolicyBadge({ policy }: { policy: DatasetPolicy }) {
  const info = POLICY_INFO[policy];
  return (
    <Badge tone="neutral" icon={false} title={info.description} data-policy={policy}>
      {info.label}
    </Badge>
  );
}
