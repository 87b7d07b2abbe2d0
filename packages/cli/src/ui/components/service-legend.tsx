import { SERVICE_COLOURS } from '../lib/trace-model.ts';

/** Colour key for the services of a trace. */
export function ServiceLegend(props: { services: string[] }) {
  return (
    <ul class="service-legend" aria-label="Services">
      {props.services.map((s, i) => (
        <li key={s}>
          <span class={`swatch svc-${i % SERVICE_COLOURS}`} aria-hidden="true" />
          {s || '(no service.name)'}
        </li>
      ))}
    </ul>
  );
}
