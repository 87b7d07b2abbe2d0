import { useState } from 'preact/hooks';
import { parseTraceInput } from '../lib/ids.ts';
import { navigate, traceHref } from '../lib/router.ts';

/** Header box: paste a trace id or a whole traceparent value and land on that trace (and span). */
export function GoToTrace() {
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    try {
      const target = parseTraceInput(text);
      setError('');
      setText('');
      navigate(traceHref(target.traceId, target.spanId));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form class="go-to-trace" onSubmit={submit} role="search">
      <input
        type="text"
        name="goto"
        aria-label="Go to trace"
        placeholder="Trace id or traceparent"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        spellcheck={false}
        autocomplete="off"
      />
      <button type="submit">Go</button>
      {error ? <span class="goto-error" role="alert">{error}</span> : null}
    </form>
  );
}
