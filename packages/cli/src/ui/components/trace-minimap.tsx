import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import { SERVICE_COLOURS, type UiSpan, type UiTrace } from '../lib/trace-model.ts';
import { ROW_HEIGHT } from './waterfall.tsx';

const HEIGHT = 64;

/** The service colours as styles.css defines them (`.svc-N`), read once from probe elements. */
function serviceColours(): string[] {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.append(probe);
  const out: string[] = [];
  for (let i = 0; i < SERVICE_COLOURS; i++) {
    probe.className = `svc-${i}`;
    out.push(getComputedStyle(probe).backgroundColor || '#8a93a6');
  }
  probe.remove();
  return out;
}

/**
 * The whole trace in 64 pixels: every visible row as a thin bar (time across, row order down),
 * error spans in red, with a box over the rows the waterfall shows. Clicking or dragging moves
 * the waterfall there. Drawn on a canvas, so 50,000 spans cost one pass of fillRect.
 */
export function TraceMinimap(props: { trace: UiTrace; rows: UiSpan[]; body: RefObject<HTMLDivElement | null> }) {
  const { trace, rows, body } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [view, setView] = useState({ top: 0, height: 1 });

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ro = new ResizeObserver(() => setWidth(canvas.clientWidth));
    ro.observe(canvas);
    setWidth(canvas.clientWidth);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(HEIGHT * ratio);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, HEIGHT);
    const colours = serviceColours();
    const total = trace.durationNs || 1;
    // Each row gets its slice of the height; a short trace's bars stay thin, centred in theirs.
    const rowH = HEIGHT / Math.max(rows.length, 1);
    const barH = Math.min(Math.max(rowH, 1), 6);
    const inset = (rowH - barH) / 2;
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i];
      ctx.fillStyle = s.status === 'error' ? '#d1352b' : colours[s.serviceIndex % SERVICE_COLOURS];
      ctx.fillRect((s.startOffsetNs / total) * width, i * rowH + Math.max(inset, 0), Math.max((s.durationNs / total) * width, 1), barH);
    }
  }, [trace, rows, width]);

  // The viewport box follows the waterfall's scrolling.
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const update = () => {
      const full = Math.max(rows.length * ROW_HEIGHT, 1);
      setView({ top: el.scrollTop / full, height: Math.min(1, el.clientHeight / full) });
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [body, rows.length]);

  const scrollTo = (clientY: number) => {
    const el = body.current;
    const canvas = canvasRef.current;
    if (!el || !canvas) return;
    const frac = Math.min(1, Math.max(0, (clientY - canvas.getBoundingClientRect().top) / HEIGHT));
    el.scrollTop = frac * rows.length * ROW_HEIGHT - el.clientHeight / 2;
  };

  return (
    <div
      class="minimap"
      aria-label="Trace overview: click to scroll the waterfall"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        scrollTo(e.clientY);
      }}
      onPointerMove={(e) => {
        if (e.buttons & 1) scrollTo(e.clientY);
      }}
    >
      <canvas ref={canvasRef} class="minimap-canvas" height={HEIGHT} />
      <div class="minimap-view" style={{ top: `${view.top * HEIGHT}px`, height: `${Math.max(view.height * HEIGHT, 4)}px` }} />
    </div>
  );
}
