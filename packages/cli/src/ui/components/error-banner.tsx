/** An error shown to the user, as text. */
export function ErrorBanner(props: { error: unknown; context?: string }) {
  if (props.error === undefined || props.error === null) return null;
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <div class="error-banner" role="alert">
      {props.context ? <strong>{props.context}: </strong> : null}
      <span class="error-text">{message}</span>
    </div>
  );
}
