import { env } from "../../env";

/** The pipeline's settings (LAKE_IMPORT_*), resolved once per run so a test can override them. */
export type ImportConfig = {
  errorRate: number;
  transformBatch: number;
  loadBatch: number;
  /** Load transactions of a single pass in flight at once, on connections of their own. */
  loadConnections: number;
  workers: number;
  validationTimeoutSeconds: number;
  /** How often the validation saves its checkpoint (checkpoint.ts). */
  checkpointEveryMs: number;
  /** Runs per job, the first included (the seed's retry policy: 3, 1 s → 30 s ×2). */
  attempts: number;
};

export const IMPORT_ATTEMPTS = 3;

export function importConfig(overrides: Partial<ImportConfig> = {}): ImportConfig {
  const config = env();
  return {
    errorRate: config.LAKE_IMPORT_ERROR_RATE,
    transformBatch: config.LAKE_IMPORT_TRANSFORM_BATCH,
    loadBatch: config.LAKE_IMPORT_LOAD_BATCH,
    loadConnections: config.LAKE_IMPORT_LOAD_CONNECTIONS,
    workers: config.LAKE_IMPORT_WORKERS,
    validationTimeoutSeconds: config.LAKE_IMPORT_VALIDATION_TIMEOUT_SECONDS,
    checkpointEveryMs: config.LAKE_IMPORT_CHECKPOINT_SECONDS * 1000,
    attempts: IMPORT_ATTEMPTS,
    ...overrides,
  };
}
