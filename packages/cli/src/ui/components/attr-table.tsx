import type { DisplayAttr } from '../lib/any-value.ts';

/** A dotted key with line-break opportunities after each dot (`deployment.` / `environment.name`). */
function breakableKey(key: string) {
  const parts = key.split('.');
  return parts.flatMap((part, i) => (i < parts.length - 1 ? [`${part}.`, <wbr key={i} />] : [part]));
}

/** Key/value pairs as a two-column table; keys and values are text. */
export function AttrTable(props: { attrs: DisplayAttr[]; empty?: string; label?: string }) {
  if (props.attrs.length === 0) return <p class="muted">{props.empty ?? 'none'}</p>;
  return (
    <table class="attr-table" aria-label={props.label}>
      <tbody>
        {props.attrs.map((a, i) => (
          <tr key={`${a.key}\0${i}`} data-key={a.key}>
            <th scope="row">{breakableKey(a.key)}</th>
            <td class="attr-value">{a.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
