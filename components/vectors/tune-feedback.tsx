import { Banner } from "@/components/ui/banner";
import { ProgressBar } from "@/components/ui/progress-bar";

import { awaitingBuild, type TuneWatch } from "./use-index-status";
import { metricLabel, type IndexStatus } from "./vector-types";

/**
 * What became of "Tune now", right under the button: started and waiting for the build to claim
 * its index, building (with its phase and progress), then ready or failed. The table row says the
 * same further down, but the admin is looking here.
 */
export function TuneFeedback({
  watch,
  items,
}: {
  watch: TuneWatch;
  items: readonly IndexStatus[];
}) {
  const name = `${watch.type} · ${metricLabel(watch.metric)}`;
  const row = items.find((item) => item.type === watch.type && item.metric === watch.metric);
  if (!row || awaitingBuild(items, watch)) {
    return (
      <Banner tone="active" role="status" data-testid="tune-feedback" data-state="started">
        Tuning of the {name} index started; waiting for the build to begin…
      </Banner>
    );
  }
  if (row.status === "building") {
    const { phase, done, total } = row.progress;
    const known = typeof done === "number" && typeof total === "number" && total > 0;
    const phaseText = typeof phase === "string" ? phase : "starting";
    return (
      <Banner tone="active" role="status" data-testid="tune-feedback" data-state="building">
        Building the {name} index: {phaseText}
        {known ? ` (${done} of ${total})` : ""}…
        <ProgressBar
          label={`Tuning of ${name}`}
          value={known ? done : null}
          max={known ? total : 100}
          valueText={known ? `${phaseText}: ${done} of ${total}` : phaseText}
        />
      </Banner>
    );
  }
  if (row.status === "failed") {
    return (
      <Banner tone="danger" role="status" data-testid="tune-feedback" data-state="failed">
        Tuning the {name} index failed{row.error ? `: ${row.error}` : "."}
      </Banner>
    );
  }
  return (
    <Banner tone="success" role="status" data-testid="tune-feedback" data-state="ready">
      The {name} index is tuned and ready:{" "}
      {row.exact
        ? `${row.rows.toLocaleString("en")} embeddings are few enough for exact search.`
        : `${row.method}, recall@10 ${row.measured_recall?.toFixed(3) ?? "—"}.`}
    </Banner>
  );
}
