import { open, seal } from "./secret-box";

// Bound as associated data: a sealed secret copied into another user's row does not open there,
// so write access to the table alone cannot give someone a second factor they know.
const context = (userId: string) => `mfa_secrets.secret_encrypted:${userId}`;

export function sealTotpSecret(options: { userId: string; secret: string }): string {
  return seal(options.secret, context(options.userId));
}

export function openTotpSecret(options: { userId: string; sealed: string }): string {
  return open(options.sealed, context(options.userId));
}
