import { describe, expect, it } from "vitest";

import { AppError } from "../../errors/app-error";
import { VECTOR_DIMENSIONS } from "../vectors.schemas";
import { HashingEmbedder } from "./hashing-embedder";

const embedder = new HashingEmbedder();
const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe("HashingEmbedder (lexical feature hashing)", () => {
  it("is deterministic, 1536-dimensional and unit length", async () => {
    const [first, again] = await embedder.embed(["Quarterly invoices", "Quarterly invoices"]);
    expect(first).toHaveLength(VECTOR_DIMENSIONS);
    expect(first).toEqual(again);
    expect(Math.hypot(...first!)).toBeCloseTo(1, 10);
    expect(embedder.model).toBe("lake/hashing-v1");
  });

  it("ranks shared words and spellings above unrelated text, ignoring case", () => {
    const query = embedder.embedOne("invoice overdue");
    const close = embedder.embedOne("Overdue INVOICES from March");
    const far = embedder.embedOne("garden tomatoes ripen slowly");
    expect(cosine(query, close)).toBeGreaterThan(0.4);
    expect(cosine(query, close)).toBeGreaterThan(cosine(query, far) + 0.3);
  });

  it("refuses text with nothing to embed", () => {
    expect(() => embedder.embedOne("  ?! …  ")).toThrow(AppError);
  });
});
