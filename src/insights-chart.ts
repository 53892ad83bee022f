/**
 * The chart of `/insights`: questions answered and declined per week, as a PNG. Apache ECharts lays it out
 * and draws it as SVG on the server (its SSR mode: no browser, no DOM); resvg turns the SVG into a PNG
 * with the machine's fonts. Nothing is downloaded. Loaded only when a moderator asks for insights, so
 * neither library costs the bot's start-up anything.
 */
import { Resvg } from '@resvg/resvg-js';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { WeekCount } from './insights-report.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

const WIDTH = 800;
const HEIGHT = 400;

/** A bar per week, answered and declined stacked, as PNG bytes. */
export function weeklyChartPng(weeks: readonly WeekCount[], title: string): Buffer {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 50, bottom: 60 },
      xAxis: { type: 'category', data: weeks.map((week) => week.week) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: 'Answered',
          type: 'bar',
          stack: 'questions',
          color: '#4f9a6d',
          data: weeks.map((w) => w.answered),
        },
        {
          name: 'Declined',
          type: 'bar',
          stack: 'questions',
          color: '#c0504d',
          data: weeks.map((w) => w.declined),
        },
      ],
    });
    const svg = chart.renderToSVGString();
    return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: WIDTH } }).render().asPng());
  } finally {
    chart.dispose();
  }
}
