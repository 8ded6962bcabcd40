import { useEffect, useRef } from 'react';
// uPlot: about 50 kB minified, draws thousands of points on a canvas without lag, and has time
// axes that take a time zone (tzDate) — what a KPI series over hours or days in the viewer's zone needs.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function SeriesChart(props: {
  label: string;
  starts: string[];
  values: Array<number | null>;
  timeZone: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const { label, starts, values, timeZone } = props;

  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const width = Math.max(280, element.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
        scales: { x: { time: true } },
        series: [
          {},
          { label, stroke: '#1d5fbf', width: 2, spanGaps: false, points: { show: starts.length < 60 } },
        ],
        axes: [{}, { size: 70 }],
      },
      [starts.map((s) => Date.parse(s) / 1000), values],
      element,
    );
    const onResize = () => plot.setSize({ width: Math.max(280, element.clientWidth), height: 260 });
    addEventListener('resize', onResize);
    return () => {
      removeEventListener('resize', onResize);
      plot.destroy();
    };
  }, [label, starts, values, timeZone]);

  return <div ref={holder} className="chart" role="img" aria-label={`${label} over time`} />;
}
