import { bytes } from './ui';

export interface Bar {
  label: string;
  /** stacked parts, bottom first */
  parts: number[];
}

/**
 * A small stacked bar chart in inline SVG (no library). Screen readers get the same figures as a
 * table; the SVG itself is a described image.
 */
export function BarChart({
  title,
  bars,
  series,
  format = bytes,
}: {
  title: string;
  bars: Bar[];
  series: [string, string][];
  format?: (n: number) => string;
}) {
  const W = 640,
    H = 200,
    PAD_L = 64,
    PAD_B = 24,
    PAD_T = 8;
  const total = (b: Bar) => b.parts.reduce((a, x) => a + x, 0);
  if (bars.every((b) => total(b) === 0)) return <p className="muted chart-empty">{title}: nothing yet.</p>;
  const max = Math.max(...bars.map(total));
  const slot = (W - PAD_L) / Math.max(1, bars.length);
  const bw = Math.min(48, slot * 0.6);
  const y = (v: number) => PAD_T + (H - PAD_T - PAD_B) * (1 - v / max);
  const ticks = [0, 0.5, 1].map((f) => f * max);
  const summary = bars.map((b) => `${b.label}: ${format(total(b))}`).join(', ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. ${summary}`} preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD_L} x2={W} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD_L - 6} y={y(t) + 4} textAnchor="end" className="axis">
              {format(t)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = PAD_L + i * slot + (slot - bw) / 2;
          let acc = 0;
          return (
            <g key={b.label}>
              {b.parts.map((v, k) => {
                const top = y(acc + v),
                  bottom = y(acc);
                acc += v;
                return (
                  <rect key={k} x={x} y={top} width={bw} height={Math.max(0, bottom - top)} className={`s${k}`}>
                    <title>{`${b.label} ${series[k]?.[1] ?? ''}: ${format(v)}`}</title>
                  </rect>
                );
              })}
              <text x={x + bw / 2} y={H - 6} textAnchor="middle" className="axis">
                {b.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {title}
        <span className="legend">
          {series.map(([cls, name], k) => (
            <span key={cls}>
              <i className={`swatch s${k}`} aria-hidden="true" /> {name}
            </span>
          ))}
        </span>
      </figcaption>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            {series.map(([cls, name]) => (
              <th key={cls} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              {b.parts.map((v, k) => (
                <td key={k}>{format(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
