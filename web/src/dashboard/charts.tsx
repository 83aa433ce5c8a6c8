/**
 * The dashboard's charts, drawn as SVG: they scale with the page (a phone, a projector) without
 * redrawing, print sharp, and weigh nothing next to a charting library. Each chart is an image
 * with a text alternative; the figures themselves are also in the tables beside it.
 */

export interface Series {
  readonly label: string;
  readonly className: string;
  /** Rates 0–1, null where there is no figure (a gap in the line). */
  readonly values: readonly (number | null)[];
}

/** Rates month by month: one line per series, 0–100 %. */
export function RateChart({ labels, series, label }: { labels: readonly string[]; series: readonly Series[]; label: string }) {
  const width = 640;
  const height = 260;
  const left = 44;
  const right = 36;
  const top = 12;
  const bottom = 36;
  const x = (i: number) => left + (labels.length <= 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (labels.length - 1));
  const y = (rate: number) => top + (1 - rate) * (height - top - bottom);
  const every = Math.max(1, Math.ceil(labels.length / 7));
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="rates-chart" preserveAspectRatio="xMidYMid meet">
        {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
          <g key={tick}>
            <line class="grid" x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} />
            <text class="tick" x={left - 6} y={y(tick) + 4} text-anchor="end">
              {tick * 100}%
            </text>
          </g>
        ))}
        {labels.map((period, i) =>
          i % every === 0 || i === labels.length - 1 ? (
            <text key={period} class="tick" x={x(i)} y={height - 12} text-anchor="middle">
              {period}
            </text>
          ) : null,
        )}
        {series.map((s) => {
          // A null breaks the line: a month without a figure is not drawn as a slope through it.
          const segments: string[] = [];
          let current = '';
          s.values.forEach((value, i) => {
            if (value === null) {
              if (current) segments.push(current);
              current = '';
            } else current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(value).toFixed(1)}`;
          });
          if (current) segments.push(current);
          return (
            <g key={s.label} class={s.className} data-series={s.label}>
              {segments.map((d) => (
                <path key={d} d={d} class="line" />
              ))}
              {s.values.map((value, i) =>
                value === null ? null : (
                  <circle key={labels[i]} cx={x(i)} cy={y(value)} r="4" class="dot">
                    <title>{`${labels[i]} ${s.label} ${(value * 100).toFixed(1)}%`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {series.map((s) => (
          <span key={s.label} class={`key ${s.className}`}>
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Counts by code, one horizontal bar each. */
export function BarChart({ bars, label }: { bars: readonly { key: string; label: string; count: number; className: string }[]; label: string }) {
  const row = 28;
  const width = 640;
  const left = 250;
  const height = bars.length * row + 8;
  const most = Math.max(1, ...bars.map((b) => b.count));
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="problems-chart">
      {bars.map((bar, i) => {
        const length = ((width - left - 48) * bar.count) / most;
        return (
          <g key={bar.key} class={bar.className}>
            <text class="tick" x={left - 8} y={i * row + 20} text-anchor="end">
              {bar.key}
            </text>
            <rect class="bar" x={left} y={i * row + 6} width={Math.max(2, length)} height={row - 10}>
              <title>{`${bar.label}: ${bar.count}`}</title>
            </rect>
            <text class="tick" x={left + length + 6} y={i * row + 20}>
              {bar.count}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A city's trend in a table cell: a small line of its on-time rate, month by month. */
export function Sparkline({ values, label }: { values: readonly (number | null)[]; label: string }) {
  const width = 80;
  const height = 24;
  const x = (i: number) => 2 + (values.length <= 1 ? 0 : (i * (width - 4)) / (values.length - 1));
  const y = (rate: number) => 2 + (1 - rate) * (height - 4);
  let d = '';
  values.forEach((value, i) => {
    if (value === null) return;
    d += `${d ? 'L' : 'M'}${x(i).toFixed(1)},${y(value).toFixed(1)}`;
  });
  return (
    <svg class="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {d ? <path d={d} /> : null}
    </svg>
  );
}
