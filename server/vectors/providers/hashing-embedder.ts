import { AppError } from "../../errors/app-error";
import { VECTOR_DIMENSIONS } from "../vectors.schemas";
import { type EmbeddingProvider } from "./embedding-provider";

const WORD = /[\p{L}\p{N}]+/gu;
const TRIGRAM_WEIGHT = 0.5;

/** FNV-1a, 32 bits, over the UTF-16 code units: small, fast and stable across versions. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The built-in embedder: **lexical, not semantic**. Words and character trigrams (of each word,
 * with boundary marks) are hashed into 1536 signed buckets (the hashing trick), then the vector is
 * L2-normalised, so cosine similarity measures shared vocabulary and spelling — "invoice" finds
 * "invoices", not "bill". Deterministic, offline, no model weights: text search works out of the
 * box, and Cortex replaces it when CORTEX_URL is set.
 */
export class HashingEmbedder implements EmbeddingProvider {
  readonly name = "local lexical hashing";
  readonly model = "lake/hashing-v1";

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): number[] {
    const vector = new Array<number>(VECTOR_DIMENSIONS).fill(0);
    const add = (feature: string, weight: number) => {
      const hash = fnv1a(feature);
      // A second, independent hash picks the sign, so collisions cancel out on average.
      const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
      vector[hash % VECTOR_DIMENSIONS]! += sign * weight;
    };
    for (const [word] of text.toLowerCase().normalize("NFKC").matchAll(WORD)) {
      add(`w:${word}`, 1);
      const marked = `#${word}#`;
      for (let i = 0; i + 3 <= marked.length; i += 1)
        add(`t:${marked.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
    }
    const norm = Math.hypot(...vector);
    if (norm === 0) {
      // A zero vector has no direction: cosine distance to it is undefined (NaN in pgvector).
      throw new AppError("bad_request", "The text has no letters or digits to embed.", {
        parameter: "text",
      });
    }
    return vector.map((value) => value / norm);
  }
}
