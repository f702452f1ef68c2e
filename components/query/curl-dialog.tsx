"use client";

import { OperationTypeNode } from "graphql";

import { Actions } from "@/components/ui/actions";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { Dialog } from "@/components/ui/dialog";
import { Stack } from "@/components/ui/stack";

import { graphqlCurlCommand } from "./curl-command";
import type { EditorSnapshot } from "./editor-bridge";
import { variablesObject } from "./save-query-dialog";
import { selectOperation } from "./urql-fetcher";

/** The editor's operation as a curl command, or why there is none. */
export function curlFor(
  endpoint: string,
  snapshot: EditorSnapshot,
): { command: string } | { error: string } {
  if (!snapshot.query.trim()) return { error: "The editor is empty: write an operation first." };
  const variables = variablesObject(snapshot.variables);
  if ("error" in variables) return variables;
  return {
    command: graphqlCurlCommand(endpoint, {
      query: snapshot.query,
      variables: variables.variables,
      operationName: snapshot.operationName,
      subscription: isSubscription(snapshot),
    }),
  };
}

/** Whether the operation that would run is a subscription; unparsable text is not. */
function isSubscription(snapshot: EditorSnapshot): boolean {
  try {
    const { kind } = selectOperation(snapshot.query, snapshot.operationName);
    return kind === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return false;
  }
}

/**
 * What "Copy as curl" copied (or could not), to read and copy again. Signed by an API key from
 * the shell's environment, never the console's session.
 */
export function CurlDialog({
  curl,
  copied,
  onClose,
}: {
  /** null: closed. */
  curl: { command: string } | { error: string } | null;
  copied: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={curl !== null}
      onClose={onClose}
      title="Copy as curl"
      size="lg"
      description={
        <>
          The operation in the editor, run with an API key from <code>$LAKE_API_KEY</code> (make one
          under Account → My API keys). Your console session is never put in the command.
        </>
      }
      data-testid="curl-dialog"
    >
      <Stack>
        {curl && "error" in curl && (
          <Banner tone="danger" role="alert">
            {curl.error}
          </Banner>
        )}
        {curl && "command" in curl && (
          <>
            {copied && (
              <Banner tone="success" role="status">
                Copied to the clipboard.
              </Banner>
            )}
            <CopyField label="Command" value={curl.command} data-testid="curl-command" />
          </>
        )}
        <Actions>
          <Button onClick={onClose} data-autofocus>
            Close
          </Button>
        </Actions>
      </Stack>
    </Dialog>
  );
}
