import { FILTER_OPS, type AttrFilter, type FilterOp } from '../lib/search-state.ts';

/** Attribute filter rows (key, operator, value), each becoming one TraceQL condition. */
export function FilterRows(props: { filters: AttrFilter[]; keys: string[]; onChange(filters: AttrFilter[]): void }) {
  const { filters, onChange } = props;
  const update = (i: number, patch: Partial<AttrFilter>) => onChange(filters.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset class="filter-rows">
      <legend>Attributes</legend>
      <datalist id="attr-keys">
        {props.keys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {filters.map((f, i) => (
        <div class="filter-row" key={i}>
          <input
            type="text"
            name={`attr-key-${i}`}
            aria-label="Attribute"
            placeholder="http.status_code"
            list="attr-keys"
            value={f.key}
            onInput={(e) => update(i, { key: e.currentTarget.value.replace(/\s+/g, '') })}
          />
          <select name={`attr-op-${i}`} aria-label="Operator" value={f.op} onChange={(e) => update(i, { op: e.currentTarget.value as FilterOp })}>
            {FILTER_OPS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          <input
            type="text"
            name={`attr-value-${i}`}
            aria-label="Value"
            placeholder="value"
            value={f.value}
            onInput={(e) => update(i, { value: e.currentTarget.value })}
          />
          <button type="button" aria-label="Remove filter" onClick={() => onChange(filters.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" class="add-filter" onClick={() => onChange([...filters, { key: '', op: '=', value: '' }])}>
        + Attribute
      </button>
    </fieldset>
  );
}
