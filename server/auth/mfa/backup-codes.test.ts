import { describe, expect, it } from "vitest";

import {
  BACKUP_CODE_COUNT,
  generateBackupCodes,
  hashBackupCode,
  normalizeBackupCode,
} from "./backup-codes";

const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

describe("backup codes", () => {
  it("come ten at a time as distinct xxxx-xxxx codes without ambiguous letters", () => {
    const codes = generateBackupCodes();
    expect(codes).toHaveLength(BACKUP_CODE_COUNT);
    expect(BACKUP_CODE_COUNT).toBe(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("use all 32 symbols (40 bits a code)", () => {
    const symbols = new Set(generateBackupCodes(500).join("").replaceAll("-", ""));
    expect(symbols.size).toBe(32);
    for (const ambiguous of ["i", "l", "o", "u"]) expect(symbols.has(ambiguous)).toBe(false);
  });

  it("normalize what people type: case, dash, spaces, and o/i/l for 0/1", () => {
    expect(normalizeBackupCode("ab12-cd34")).toBe("ab12cd34");
    expect(normalizeBackupCode("AB12CD34")).toBe("ab12cd34");
    expect(normalizeBackupCode(" ab12 cd34 ")).toBe("ab12cd34");
    expect(normalizeBackupCode("aBo1-cDi4")).toBe("ab01cd14");
    expect(normalizeBackupCode("l0l0-0000")).toBe("10100000");
  });

  it.each(["", "ab12-cd3", "ab12-cd345", "ab12-cdu4", "ab12_cd34", "123456", "x".repeat(100)])(
    "refuse %j",
    (input) => {
      expect(normalizeBackupCode(input)).toBeNull();
    },
  );

  it("hash to a keyed hex digest that never contains the code", () => {
    const [code] = generateBackupCodes(1);
    const normalized = normalizeBackupCode(code!)!;
    const hash = hashBackupCode(normalized);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(normalized);
    expect(hashBackupCode(normalizeBackupCode(code!.toUpperCase().replace("-", ""))!)).toBe(hash);
    expect(hashBackupCode("00000000")).not.toBe(hashBackupCode("00000001"));
  });
});
