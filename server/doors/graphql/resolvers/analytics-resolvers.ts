import { recordActivity } from "../../../analytics/platform-activity";
import { timeRangeSchema } from "../../../analytics/time-range.schemas";
import { windowSeries } from "../../../analytics/window-series";
import { toAppError } from "../../../errors/to-app-error";
import { type GraphQLContext } from "../graphql-context";

type TimeRangeInput = { from: string; to: string; stepSeconds: number };
type Range = { from: string; to: string; step: number };

/** The seed's analytics(timeRange): the analytics services over one range. */
export const analyticsResolvers = {
  Query: {
    analytics: (_: unknown, args: { timeRange: TimeRangeInput }) => {
      const { from, to, stepSeconds } = args.timeRange;
      // Checked here, so a bad range is one error on `analytics`, not one per series.
      const parsed = timeRangeSchema.safeParse({ from, to, step: stepSeconds });
      if (!parsed.success) throw toAppError(parsed.error);
      return { from, to, step: stepSeconds, step_seconds: stepSeconds };
    },
  },
  AnalyticsData: {
    series: async (
      range: Range,
      args: { rule: string; function: string; groupBy?: string[] | null },
      { services }: GraphQLContext,
    ) => {
      const query = {
        rule: args.rule,
        function: args.function,
        ...(args.groupBy ? { group_by: args.groupBy.join(",") } : {}),
        from: range.from,
        to: range.to,
        step: range.step,
      };
      return (await windowSeries({ ...services, query })).series;
    },
    recordActivity: async (
      range: Range,
      args: { dataset?: string | null },
      { services }: GraphQLContext,
    ) => {
      const query = { ...(args.dataset ? { dataset: args.dataset } : {}), ...range };
      return (await recordActivity({ ...services, query })).points;
    },
  },
};
