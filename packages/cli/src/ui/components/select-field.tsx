/** The API's values plus the selected one, so a value from a shared URL stays selectable. */
function withCurrent(values: readonly string[], current: string): readonly string[] {
  return current && !values.includes(current) ? [current, ...values] : values;
}

/**
 * A labelled `<select>` whose first option (`anyLabel`, value '') means "no filter"; the current
 * value is always an option (see {@link withCurrent}).
 */
export function SelectField(props: {
  label: string;
  name: string;
  value: string;
  options: readonly string[];
  anyLabel: string;
  onChange(value: string): void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.anyLabel}</option>
        {withCurrent(props.options, props.value).map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}
