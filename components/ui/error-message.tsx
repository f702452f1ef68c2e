import { errorCode, validationIssues, type AppErrorLike } from "./app-error";
import { Banner } from "./banner";
import styles from "./error-message.module.css";

/**
 * A failed request, as the server explained it: its message and error_code (which support and
 * the API docs use), plus each validation issue.
 */
export function ErrorMessage({
  error,
  title,
}: {
  error: AppErrorLike | null | undefined;
  /** What failed, e.g. "Could not load users." */
  title?: string;
}) {
  if (!error) return null;
  const code = errorCode(error);
  const issues = validationIssues(error);
  return (
    <Banner tone="danger" role="alert">
      {title && <strong>{title} </strong>}
      {/* tRPC's own message for a rejected input is the raw issue list; the list below says it. */}
      {issues.length > 0 ? "Some values are not valid:" : error.message}
      {code && <code className={styles.code}>{code}</code>}
      {issues.length > 0 && (
        <ul className={styles.issues}>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? `${issue.path}: ` : ""}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </Banner>
  );
}
