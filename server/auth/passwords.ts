import { randomBytes } from "node:crypto";

import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (19 MiB, 2 passes): ~30 ms a hash here, cheap for users, dear for guessing.
// `algorithm: 2` is Algorithm.Argon2id: a const enum, which isolated modules cannot read.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** A random password of ~119 bits, readable enough to type once. */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url").replace(/[-_]/g, "x");
}
