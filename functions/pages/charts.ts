/**
 * The report's charts as SVG, drawn on the server by Apache ECharts' SSR renderer (no script in
 * the page, the same SVG in the page and in the PDF). Only the chart types and components used are
 * registered, which keeps the bundle to the parts drawn here. Labels that would overlap are hidden
 * (hideOverlap) or moved (moveOverlap), and the category axis picks an interval that fits.
 */
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, SVGRenderer]);

/** The pages' palette: the CSI in the link blue, elements in colours distinct for colour-blind readers (Okabe-Ito). */
export const CHART_COLOURS = ['#0b57d0', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];
const TEXT = '#3c4043';
const GRID_LINE = '#e3e6ea';
// Single quotes only: ECharts writes the family into a double-quoted style attribute unescaped.
const FONT = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans SC', sans-serif";

function render(option: EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT, color: TEXT }, ...option });
    // Responsive in the page: the viewBox stays, the fixed size goes. The hover rules ECharts adds
    // go too: a static chart has no hover, and their class names repeat from chart to chart.
    return chart
      .renderToSVGString()
      .replace(/^<svg width="\d+" height="\d+"/, '<svg width="100%" preserveAspectRatio="xMidYMid meet" focusable="false" aria-hidden="true"')
      .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');
  } finally {
    chart.dispose();
  }
}

export interface TrendSeries {
  name: string;
  values: readonly (number | null)[];
}

export interface TrendChartInput {
  periods: readonly string[];
  series: readonly TrendSeries[];
  /** The first series' 95% interval per period, drawn as a band (null where unknown). */
  band?: readonly ([number, number] | null | undefined)[];
  width?: number;
  height?: number;
}

/** A trend over months: lines (the CSI first) with the CSI's interval as a band; gaps where a month has no figure. */
export function trendChart(input: TrendChartInput): string {
  const { periods, series, band } = input;
  const all = [...series.flatMap((s) => s.values), ...(band ?? []).flatMap((b) => (b ? [b[0], b[1]] : []))].filter((v): v is number => v !== null && Number.isFinite(v));
  // Whole tens at both ends, so that the axis labels fall on its ticks and never crowd an end.
  const low = all.length > 0 ? Math.max(0, Math.floor((Math.min(...all) - 1) / 10) * 10) : 0;
  const high = all.length > 0 ? Math.min(100, Math.ceil((Math.max(...all) + 1) / 10) * 10) : 100;
  const bandSeries = band
    ? [
        { type: 'line', stack: 'band', data: band.map((b) => (b ? b[0] : '-')), lineStyle: { opacity: 0 }, symbol: 'none', silent: true, connectNulls: false },
        { type: 'line', stack: 'band', data: band.map((b) => (b ? b[1] - b[0] : '-')), lineStyle: { opacity: 0 }, areaStyle: { color: '#0b57d0', opacity: 0.15 }, symbol: 'none', silent: true, connectNulls: false },
      ]
    : [];
  return render(
    {
      color: CHART_COLOURS,
      grid: { left: 44, right: 16, top: series.length > 1 ? 40 : 16, bottom: 32 },
      legend: series.length > 1 ? { top: 4, data: series.map((s) => s.name), textStyle: { color: TEXT }, itemWidth: 18 } : undefined,
      xAxis: { type: 'category', data: [...periods], axisLabel: { color: TEXT, hideOverlap: true }, axisLine: { lineStyle: { color: '#9aa3ad' } }, boundaryGap: false },
      yAxis: { type: 'value', min: low, max: high, interval: high - low > 40 ? 20 : 10, axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: GRID_LINE } } },
      series: [
        ...bandSeries,
        ...series.map((s, i) => ({
          type: 'line',
          name: s.name,
          data: s.values.map((v) => (v === null ? '-' : Math.round(v * 10) / 10)),
          symbolSize: 5,
          lineStyle: { width: i === 0 ? 3 : 2 },
          connectNulls: false,
          color: CHART_COLOURS[i % CHART_COLOURS.length],
        })),
      ],
    },
    input.width ?? 640,
    input.height ?? 240,
  );
}

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

/** The importance-performance grid: points named, the means as dashed lines; labels moved apart or hidden where they would collide. */
export function ipaChart(input: { points: readonly ScatterPoint[]; xMean: number | null; yMean: number | null; xName: string; yName: string; width?: number; height?: number }): string {
  const xs = input.points.map((p) => p.x);
  const ys = input.points.map((p) => p.y);
  const span = (values: number[]) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = hi > lo ? (hi - lo) * 0.15 : 1;
    return [lo - pad, hi + pad] as const;
  };
  const [x0, x1] = xs.length > 0 ? span(xs) : [0, 100];
  const [y0, y1] = ys.length > 0 ? span(ys) : [0, 1];
  const meanLines = [
    ...(input.xMean === null ? [] : [{ xAxis: input.xMean }]),
    ...(input.yMean === null ? [] : [{ yAxis: input.yMean }]),
  ];
  return render(
    {
      grid: { left: 56, right: 24, top: 16, bottom: 48 },
      xAxis: { type: 'value', name: input.xName, nameLocation: 'middle', nameGap: 28, min: x0, max: x1, axisLabel: { color: TEXT, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => v.toFixed(0) }, splitLine: { lineStyle: { color: GRID_LINE } } },
      yAxis: { type: 'value', name: input.yName, nameLocation: 'middle', nameGap: 40, min: y0, max: y1, axisLabel: { color: TEXT, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => v.toFixed(2) }, splitLine: { lineStyle: { color: GRID_LINE } } },
      series: [
        {
          type: 'scatter',
          // A point on the right half is named on its left, so that no name runs off the chart.
          data: input.points.map((p) => ({ value: [p.x, p.y], name: p.label, label: { position: p.x > (x0 + x1) / 2 ? 'left' : 'right' } })),
          symbolSize: 9,
          color: CHART_COLOURS[0],
          label: { show: true, formatter: '{b}', color: TEXT, fontSize: 11, width: 120, overflow: 'truncate' },
          labelLayout: { moveOverlap: 'shiftY' },
          markLine: meanLines.length > 0 ? { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: '#9aa3ad', type: 'dashed' }, data: meanLines } : undefined,
        },
      ],
    },
    input.width ?? 520,
    input.height ?? 320,
  );
}
