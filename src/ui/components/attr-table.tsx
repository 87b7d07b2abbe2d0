import type { DisplayAttr } from '../lib/any-value.ts';

/** Key/value pairs as a two-column table; values are text. */
export function AttrTable(props: { attrs: DisplayAttr[]; empty?: string; label?: string }) {
  if (props.attrs.length === 0) return <p class="muted">{props.empty ?? 'none'}</p>;
  return (
    <table class="attr-table" aria-label={props.label}>
      <tbody>
        {props.attrs.map((a, i) => (
          <tr key={`${a.key}\0${i}`} data-key={a.key}>
            <th scope="row">{a.key}</th>
            <td class="attr-value">{a.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
