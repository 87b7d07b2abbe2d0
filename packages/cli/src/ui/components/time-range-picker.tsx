import { TIME_RANGES, type TimeRange, type TimeRangeValue } from '../lib/time-range.ts';

export type { TimeRangeValue } from '../lib/time-range.ts';

const LABELS: Record<TimeRange, string> = { '15m': 'Last 15 minutes', '1h': 'Last hour', '24h': 'Last 24 hours', custom: 'Custom' };

/** Unix seconds ⇄ the value of an `<input type="datetime-local">` (local time, minutes). */
export function secondsToLocalInput(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function localInputToSeconds(value: string): number | undefined {
  const ms = new Date(value).getTime();
  return value && Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** Relative ranges (kept relative in the URL) or a custom start/end. */
export function TimeRangePicker(props: { value: TimeRangeValue; onChange(v: TimeRangeValue): void; allowCustom?: boolean }) {
  const { value, onChange } = props;
  const ranges = props.allowCustom === false ? TIME_RANGES.filter((r) => r !== 'custom') : TIME_RANGES;
  return (
    <div class="time-range">
      <label>
        Time range{' '}
        <select
          name="range"
          value={value.range}
          onChange={(e) => {
            const range = e.currentTarget.value as TimeRange;
            const now = Math.floor(Date.now() / 1000);
            onChange(range === 'custom' ? { range, start: value.start ?? now - 3600, end: value.end ?? now } : { range });
          }}
        >
          {ranges.map((r) => (
            <option key={r} value={r}>
              {LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      {value.range === 'custom' ? (
        <span class="custom-range">
          <label>
            From{' '}
            <input
              type="datetime-local"
              name="start"
              value={secondsToLocalInput(value.start)}
              onChange={(e) => onChange({ ...value, start: localInputToSeconds(e.currentTarget.value) })}
            />
          </label>
          <label>
            To{' '}
            <input
              type="datetime-local"
              name="end"
              value={secondsToLocalInput(value.end)}
              onChange={(e) => onChange({ ...value, end: localInputToSeconds(e.currentTarget.value) })}
            />
          </label>
        </span>
      ) : null}
    </div>
  );
}
