// The timeline under the map: events per day, week or month of the filtered events, and
// a brush that chooses the dates the map shows.
import { select } from 'd3-selection';
import { scaleTime, scaleLinear } from 'd3-scale';
import { axisBottom, axisLeft } from 'd3-axis';
import { brushX } from 'd3-brush';
import { utcDay, utcMonday, utcMonth } from 'd3-time';
import { utcFormat, utcParse } from 'd3-time-format';

export const isoDay = utcFormat('%Y-%m-%d');
export const parseDay = utcParse('%Y-%m-%d');
const INTERVAL = { day: utcDay, week: utcMonday, month: utcMonth };  // the API's weeks start on Monday
const MARGIN = { top: 8, right: 16, bottom: 22, left: 40 };

export class Timeline {
  constructor(svgElement, { onBrush, onBrushMove }) {
    this.svg = select(svgElement);
    this.onBrush = onBrush;
    this.onBrushMove = onBrushMove;
    this.counts = [];
    this.bucket = 'day';
    this.range = null;
    this.gBars = this.svg.append('g').attr('class', 'bars');
    this.gX = this.svg.append('g').attr('class', 'axis x');
    this.gY = this.svg.append('g').attr('class', 'axis y');
    this.gBrush = this.svg.append('g').attr('class', 'brush');
    this.brush = brushX()
      .on('brush', (e) => { if (e.sourceEvent) this.onBrushMove(this.datesOf(e.selection)); })
      .on('end', (e) => {
        if (!e.sourceEvent) return;  // moved by the page itself
        const range = this.datesOf(e.selection);
        this.range = range;
        this.onBrush(range);
      });
  }

  // lo, hi: Date (UTC days) of the axis.
  setDomain(lo, hi) {
    this.domain = [lo, hi];
    this.layout(true);
  }

  setCounts(counts, bucket) {
    this.counts = counts.map((c) => ({ date: parseDay(c.date), n: c.n })).filter((c) => c.date);
    this.bucket = bucket;
    this.draw();
  }

  layout(force) {
    const node = this.svg.node();
    const w = node.clientWidth || 800;
    const h = node.clientHeight || 120;
    if (!force && w === this.width && h === this.height) return;
    this.width = w;
    this.height = h;
    this.svg.attr('viewBox', `0 0 ${w} ${h}`);
    this.x = scaleTime().domain(this.domain || [new Date(0), new Date()])
      .range([MARGIN.left, w - MARGIN.right]);
    this.brush.extent([[MARGIN.left, MARGIN.top], [w - MARGIN.right, h - MARGIN.bottom]]);
    this.gBrush.call(this.brush);
    this.draw();
    this.moveBrush(this.range);
  }

  draw() {
    if (!this.x) return;
    const interval = INTERVAL[this.bucket] || utcDay;
    const [lo, hi] = this.x.domain();
    const inside = this.counts.filter((c) => c.date >= lo && c.date <= hi);
    const max = Math.max(1, ...inside.map((c) => c.n));
    this.y = scaleLinear().domain([0, max]).nice().range([this.height - MARGIN.bottom, MARGIN.top]);
    const x = this.x;
    const y = this.y;
    this.gBars.selectAll('rect').data(inside).join('rect')
      .attr('x', (c) => x(c.date))
      .attr('width', (c) => Math.max(1, x(interval.offset(c.date, 1)) - x(c.date) - 0.5))
      .attr('y', (c) => y(c.n))
      .attr('height', (c) => y(0) - y(c.n))
      .attr('data-date', (c) => isoDay(c.date))
      .attr('data-n', (c) => c.n);
    this.gX.attr('transform', `translate(0,${this.height - MARGIN.bottom})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(this.width / 90))).tickSizeOuter(0));
    this.gY.attr('transform', `translate(${MARGIN.left},0)`)
      .call(axisLeft(y).ticks(3).tickSizeOuter(0));
    this.svg.node().dataset.bars = String(inside.length);
    this.svg.node().dataset.bucket = this.bucket;
  }

  // [from, to] as YYYY-MM-DD (inclusive days) of a brush selection in pixels.
  datesOf(selection) {
    if (!selection) return null;
    const a = utcDay.floor(this.x.invert(selection[0]));
    const b = utcDay.offset(utcDay.ceil(this.x.invert(selection[1])), -1);
    return [isoDay(a), isoDay(b < a ? a : b)];
  }

  // Shows range ([from, to] or null) without telling the page.
  moveBrush(range) {
    this.range = range;
    if (!this.x) return;
    if (!range) { this.gBrush.call(this.brush.move, null); return; }
    const a = this.x(parseDay(range[0]));
    const b = this.x(utcDay.offset(parseDay(range[1]), 1));
    this.gBrush.call(this.brush.move, [Math.max(MARGIN.left, a), Math.min(this.width - MARGIN.right, b)]);
  }
}
