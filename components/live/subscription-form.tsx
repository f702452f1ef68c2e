"use client";

import { memo, useId, useState, type FormEvent } from "react";

import { FilterBar } from "@/components/data/filter-bar";
import { normalizePath } from "@/components/data/record-query";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

import { subscribeBody } from "./live-store";
import { LIVE_TOPICS, TOPIC_FIELDS, TOPIC_INFO, type LiveSubscription } from "./live-types";
import { isOffset } from "./offsets";
import styles from "./subscription-form.module.css";

type Errors = { topics?: string; dataset?: string; filters?: string; after?: string };

const TOPIC_OPTIONS = LIVE_TOPICS.map((topic) => ({
  value: topic,
  label: TOPIC_INFO[topic].label,
  description: TOPIC_INFO[topic].description,
}));

const EMPTY: LiveSubscription = { topics: ["user_events"], dataset: null, filters: [] };

function formErrors(subscription: LiveSubscription, after: string): Errors {
  const errors: Errors = {};
  if (subscription.topics.length === 0) errors.topics = "Choose at least one topic.";
  if (subscription.topics.includes("records") && !subscription.dataset) {
    errors.dataset = "Choose the dataset whose record changes to follow.";
  }
  const paths = subscription.filters.map((filter) => normalizePath(filter.path));
  if (new Set(paths).size !== paths.length) {
    errors.filters = "A subscription takes one condition per field: remove the repeated one.";
  }
  if (after.trim() !== "" && !isOffset(after.trim())) {
    errors.after = "An offset is a whole number, e.g. 1042.";
  }
  return errors;
}

/**
 * What to follow: topics, the dataset for record changes, payload filters in the Data API's
 * syntax, and optionally an offset to replay from. Subscribing again starts a new tail.
 */
export const SubscriptionForm = memo(function SubscriptionForm({
  initial,
  datasets,
  datasetsLoading,
  active,
  onSubscribe,
  onStop,
}: {
  initial: LiveSubscription | null;
  datasets: readonly { id: string; name: string }[];
  datasetsLoading: boolean;
  active: boolean;
  onSubscribe: (subscription: LiveSubscription, after: string | null) => void;
  onStop: () => void;
}) {
  const formId = useId();
  const [subscription, setSubscription] = useState<LiveSubscription>(initial ?? EMPTY);
  const [after, setAfter] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const wantsDataset = subscription.topics.includes("records");
  const fields = [...new Set(subscription.topics.flatMap((topic) => TOPIC_FIELDS[topic]))];
  const dataset = subscription.dataset ?? (datasets.length === 1 ? datasets[0]!.id : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request = { ...subscription, dataset: wantsDataset ? dataset : null };
    const found = formErrors(request, after);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    onSubscribe(request, after.trim() || null);
    setAfter("");
  };

  const preview = JSON.stringify({
    type: "subscribe",
    ...subscribeBody({ ...subscription, dataset: wantsDataset ? dataset : null }),
    ...(after.trim() ? { after: after.trim() } : {}),
  });

  return (
    <div className={styles.layout}>
      <form id={formId} className={styles.form} onSubmit={submit} noValidate>
        <CheckboxGroup
          legend="Topics"
          options={TOPIC_OPTIONS}
          value={subscription.topics}
          onChange={(topics) => setSubscription({ ...subscription, topics })}
          error={errors.topics}
        />
        <div className={styles.side}>
          {wantsDataset && (
            <SelectField
              label="Dataset"
              value={dataset ?? ""}
              onChange={(event) =>
                setSubscription({ ...subscription, dataset: event.target.value || null })
              }
              disabled={datasetsLoading}
              error={errors.dataset}
              hint="The records topic follows one dataset’s changes."
            >
              <option value="">
                {datasetsLoading
                  ? "Loading datasets…"
                  : datasets.length === 0
                    ? "No datasets yet"
                    : "Choose a dataset"}
              </option>
              {datasets.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            label="Start after offset"
            optional
            mono
            inputMode="numeric"
            autoComplete="off"
            value={after}
            onChange={(event) => setAfter(event.target.value)}
            error={errors.after}
            hint="Empty: from now. An offset replays every later event the log still keeps."
          />
        </div>
      </form>
      <div className={styles.filters}>
        <p className={styles.filtersTitle}>
          Payload filters <span className={styles.optional}>Optional</span>
        </p>
        <p className={styles.hint}>
          Only events whose payload matches every condition, in the Data API’s syntax (
          <code>payload.action = eq.click</code>).
        </p>
        <FilterBar
          filters={subscription.filters}
          onChange={(filters) => setSubscription({ ...subscription, filters })}
          fields={fields}
        />
        {errors.filters && (
          <p className={styles.error} role="alert">
            {errors.filters}
          </p>
        )}
      </div>
      <div className={styles.footer}>
        <p className={styles.preview}>
          <span className={styles.previewLabel}>Sends</span>
          <code data-testid="live-request">{preview}</code>
        </p>
        <Actions>
          {active && (
            <Button onClick={onStop} data-testid="live-stop">
              Stop
            </Button>
          )}
          <Button type="submit" form={formId} variant="primary" data-testid="live-subscribe">
            Subscribe
          </Button>
        </Actions>
      </div>
    </div>
  );
});
