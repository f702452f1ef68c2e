import { describe, expect, it } from "vitest";

import { currentCode, generateTotpSecret, normalizeTotpCode, totpUri, verifyTotp } from "./totp";

// Mid-step, so ±1 step is unambiguous: step 60_000_000 covers [1_800_000_000, 1_800_000_030).
const STEP = 60_000_000;
const EPOCH = STEP * 30 + 15;

describe("totp", () => {
  const secret = generateTotpSecret();

  it("generates 160-bit base32 secrets", () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it("builds the otpauth URL with the issuer and the account's email", () => {
    const url = new URL(totpUri({ secret, email: "ada+ops@lake.test" }));
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/Datapunk Lake:ada+ops@lake.test");
    expect(url.searchParams.get("issuer")).toBe("Datapunk Lake");
    expect(url.searchParams.get("secret")).toBe(secret);
  });

  it("accepts the previous, current and next step and says which one matched", async () => {
    for (const offset of [-1, 0, 1]) {
      const code = await currentCode(secret, EPOCH + offset * 30);
      expect(code).toMatch(/^\d{6}$/);
      expect(await verifyTotp({ secret, code, epoch: EPOCH })).toBe(STEP + offset);
    }
  });

  it("refuses codes two steps away", async () => {
    for (const offset of [-2, 2]) {
      const code = await currentCode(secret, EPOCH + offset * 30);
      const window = await Promise.all([-1, 0, 1].map((o) => currentCode(secret, EPOCH + o * 30)));
      if (window.includes(code)) continue; // a 1-in-10^6 coincidence of two steps' codes
      expect(await verifyTotp({ secret, code, epoch: EPOCH })).toBeNull();
    }
  });

  it("refuses steps at or before afterStep (replays), even far-future ones, without throwing", async () => {
    const code = await currentCode(secret, EPOCH);
    expect(await verifyTotp({ secret, code, epoch: EPOCH, afterStep: STEP - 1 })).toBe(STEP);
    expect(await verifyTotp({ secret, code, epoch: EPOCH, afterStep: STEP })).toBeNull();
    expect(await verifyTotp({ secret, code, epoch: EPOCH, afterStep: STEP + 5 })).toBeNull();
  });

  it("treats malformed input as a wrong code rather than an error", async () => {
    for (const code of ["", "12345", "1234567", "abcdef", "12-456", "１２３４５６"]) {
      expect(await verifyTotp({ secret, code, epoch: EPOCH })).toBeNull();
    }
    const code = await currentCode(secret, EPOCH);
    expect(normalizeTotpCode(` ${code.slice(0, 3)} ${code.slice(3)} `)).toBe(code);
    expect(
      await verifyTotp({ secret, code: `${code.slice(0, 3)} ${code.slice(3)}`, epoch: EPOCH }),
    ).toBe(STEP);
  });
});
