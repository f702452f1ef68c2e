"use client";

import { useId, useRef, useState, type FormEvent } from "react";

import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { TextAreaField } from "@/components/ui/text-area-field";
import { TextField } from "@/components/ui/text-field";

import { StatusCode } from "./method-badge";
import { readResponse, type TryItResponse } from "./read-response";
import styles from "./try-it.module.css";
import { buildTryItRequest, fieldKey, type TryItParameter } from "./try-it-request";

type TryItProps = {
  method: string;
  path: string;
  parameters: readonly TryItParameter[];
  /** The document's example body, as JSON text; none for operations that read no body. */
  exampleBody?: string;
};

/**
 * Sends an operation to this Lake as the signed-in user (the console's session cookie, same
 * origin) and shows the answer: status, headers and body.
 */
export function TryIt({ method, path, parameters, exampleBody }: TryItProps) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(parameters.map((p) => [fieldKey(p), p.example ?? ""])),
  );
  const [body, setBody] = useState(exampleBody ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [response, setResponse] = useState<TryItResponse | null>(null);
  const [sending, setSending] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const resultId = useId();
  const writes = method !== "get" && method !== "head";

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const request = buildTryItRequest({ method, path, parameters, values, body });
    if ("error" in request) {
      setProblem(request.error);
      return;
    }
    setProblem(null);
    setFailure(null);
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setSending(true);
    const startedAt = performance.now();
    try {
      const answer = await fetch(request.url, { ...request.init, signal: controller.signal });
      setResponse(await readResponse(answer, controller, startedAt));
    } catch (error) {
      setResponse(null);
      setFailure(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setSending(false);
    }
  };

  return (
    <details className={styles.tryIt} data-testid="try-it">
      <summary className={styles.toggle}>Try it</summary>
      <form className={styles.form} onSubmit={(event) => void send(event)} noValidate>
        <p className={styles.note}>
          Sent to this Lake as you, with your console session
          {writes ? ": a write changes real data." : "."}
        </p>
        {parameters.map((parameter) => (
          <TextField
            key={fieldKey(parameter)}
            label={`${parameter.name}${parameter.queryString ? " (query string)" : ""}`}
            hint={
              parameter.description ? `${parameter.in} · ${parameter.description}` : parameter.in
            }
            optional={!parameter.required}
            value={values[fieldKey(parameter)] ?? ""}
            onChange={(event) =>
              setValues((current) => ({ ...current, [fieldKey(parameter)]: event.target.value }))
            }
            autoComplete="off"
            spellCheck={false}
            mono
          />
        ))}
        {exampleBody !== undefined && (
          <TextAreaField
            label="Request body (JSON)"
            value={body}
            onChange={(event) => setBody(event.target.value)}
            rows={Math.min(14, Math.max(4, body.split("\n").length + 1))}
            spellCheck={false}
            mono
          />
        )}
        {problem && (
          <p className={styles.problem} role="alert">
            {problem}
          </p>
        )}
        <Actions align="start">
          <Button type="submit" variant="primary" pending={sending} aria-controls={resultId}>
            Send request
          </Button>
        </Actions>
      </form>
      <div id={resultId} aria-live="polite">
        <ErrorMessage error={failure} title="The request did not complete." />
        {response && (
          <div className={styles.response} data-testid="try-it-response">
            <p className={styles.status}>
              <StatusCode status={String(response.status)} />
              <span data-testid="try-it-status">
                {response.status} {response.statusText}
              </span>
              <span className={styles.ms}>{response.ms} ms</span>
            </p>
            <details className={styles.headers}>
              <summary>Headers ({response.headers.length})</summary>
              <dl>
                {response.headers.map(([name, value]) => (
                  <div key={name} className={styles.header}>
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            </details>
            {response.cut && <p className={styles.note}>{response.cut}</p>}
            <pre
              className={styles.body}
              data-testid="try-it-body"
              role="region"
              tabIndex={0}
              aria-label="Response body"
            >
              {response.body || "(empty body)"}
            </pre>
          </div>
        )}
      </div>
    </details>
  );
}
