import { context, diag, DiagLogLevel, propagation, trace } from "@opentelemetry/api";
import type * as Sdk from "@opentelemetry/sdk-trace-node";

import { type Env } from "../env";
import { slot } from "../singleton";
import { VERSION } from "../version";
import { logger } from "./logger";

export type TracingConfig = Pick<
  Env,
  | "OTEL_EXPORTER_OTLP_ENDPOINT"
  | "OTEL_SERVICE_NAME"
  | "OTEL_TRACES_SAMPLER"
  | "OTEL_TRACES_SAMPLER_ARG"
>;

export type Tracing = {
  enabled: boolean;
  /** Exports every span ended so far (tests, before reading the receiver). */
  flush(): Promise<void>;
  /** Exports what is left and stops; the API answers with no-ops afterwards. */
  shutdown(): Promise<void>;
};

const DISABLED: Tracing = { enabled: false, flush: async () => {}, shutdown: async () => {} };
const current = slot<Tracing>("tracing");

/** The process's tracing, as started by startTracing (disabled before, or without an endpoint). */
export const tracing = (): Tracing => current.get() ?? DISABLED;

/** OTLP/HTTP's traces path under the endpoint, as the spec derives it from the base URL. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

/**
 * Starts OpenTelemetry once per process, before it serves anything: the custom server's doors,
 * Next's own spans (it uses the global API too) and the workers. Without
 * OTEL_EXPORTER_OTLP_ENDPOINT nothing is loaded and the API stays the no-op it is by default.
 * With it: the SDK with the configured sampler, W3C trace context (and baggage) propagation, the
 * async-local-storage context manager, and a batching OTLP/HTTP exporter.
 */
export async function startTracing(config: TracingConfig): Promise<Tracing> {
  const started = current.get();
  if (started) return started;
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) {
    current.set(DISABLED);
    return DISABLED;
  }
  // Loaded only when used: the SDK and exporter cost memory a process without tracing should not pay.
  const [sdk, { OTLPTraceExporter }, { resourceFromAttributes }, semconv] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/semantic-conventions"),
  ]);
  forwardDiagnostics();
  const { NodeTracerProvider, BatchSpanProcessor } = sdk;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [semconv.ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME,
      [semconv.ATTR_SERVICE_VERSION]: VERSION,
    }),
    sampler: samplerOf(sdk, config.OTEL_TRACES_SAMPLER, config.OTEL_TRACES_SAMPLER_ARG),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(endpoint) }))],
  });
  provider.register();
  const enabled: Tracing = {
    enabled: true,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      current.set(DISABLED);
    },
  };
  current.set(enabled);
  logger().info(
    {
      endpoint: tracesUrl(endpoint),
      sampler: config.OTEL_TRACES_SAMPLER,
      ratio: config.OTEL_TRACES_SAMPLER_ARG,
    },
    "tracing on",
  );
  return enabled;
}

/**
 * OTEL_TRACES_SAMPLER as the spec defines it. The parent-based ones follow the caller's decision
 * (a sampled `traceparent` is recorded whatever the ratio) and apply theirs to new traces only.
 */
function samplerOf(
  sdk: typeof Sdk,
  name: TracingConfig["OTEL_TRACES_SAMPLER"],
  ratio: number,
): Sdk.Sampler {
  const root = name.endsWith("always_on")
    ? new sdk.AlwaysOnSampler()
    : name.endsWith("always_off")
      ? new sdk.AlwaysOffSampler()
      : new sdk.TraceIdRatioBasedSampler(ratio);
  return name.startsWith("parentbased_") ? new sdk.ParentBasedSampler({ root }) : root;
}

/** The SDK's own warnings and errors (a failed export, a refusing collector) go to the log. */
function forwardDiagnostics(): void {
  const log = logger().child({ component: "opentelemetry" });
  const ignore = () => {};
  diag.setLogger(
    {
      error: (message, ...args) => log.error({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    DiagLogLevel.WARN,
  );
}
