// The map: oblast boundaries (Natural Earth, web/data/), the control of settlements, and
// the events — one symbol each when few are in view, aggregated cells (/api/grid)
// otherwise. Boundaries are drawn once and moved by the zoom transform; symbols keep
// their size on screen and are repositioned on every zoom step.
import { select } from 'd3-selection';
import { geoConicConformal, geoPath } from 'd3-geo';
import { zoom, zoomIdentity } from 'd3-zoom';
import { scaleSqrt } from 'd3-scale';
import { symbolPath, familyOf, sideColour, sourceRadius, label } from './symbols.js';

const STACK_MIN = 6;
const COUNTRY_LABELS = [
  { name: 'BELARUS', lon: 28.0, lat: 53.4 },
  { name: 'RUSSIA', lon: 39.8, lat: 52.3 },
  { name: 'Black Sea', lon: 33.2, lat: 43.7, sea: true },
  { name: 'Sea of Azov', lon: 36.7, lat: 46.15, sea: true },
];

function isUkraine(feature) {
  // Natural Earth marks Crimea and Sevastopol RUS; keyed by ISO 3166-2 they are Ukraine's.
  return String(feature.properties.iso_3166_2 || '').startsWith('UA-');
}

export class MapView {
  constructor(svgElement, { onEventClick, onStackClick, onViewChange, onHover }) {
    this.svg = select(svgElement);
    this.onEventClick = onEventClick;
    this.onStackClick = onStackClick;
    this.onViewChange = onViewChange;
    this.onHover = onHover;
    this.transform = zoomIdentity;
    this.items = [];        // what the event layer draws: events or cells
    this.mode = 'none';
    this.settlements = [];
    this.selectedId = null;
    this.showLabels = true;

    this.svg.append('rect').attr('class', 'backdrop');
    this.gZoom = this.svg.append('g').attr('class', 'zoomable');
    this.gLand = this.gZoom.append('g').attr('class', 'oblasts');
    this.gLabels = this.svg.append('g').attr('class', 'labels');
    // Discs (cells, stacks) under the settlements, single events over them.
    this.gDiscs = this.svg.append('g').attr('class', 'events discs');
    this.gControl = this.svg.append('g').attr('class', 'control');
    this.gEvents = this.svg.append('g').attr('class', 'events singles');

    this.zoom = zoom().scaleExtent([1, 96])
      .on('zoom', (e) => { this.transform = e.transform; this.reposition(); })
      .on('end', () => this.viewChanged());
    this.svg.call(this.zoom).on('dblclick.zoom', null);

    for (const g of [this.gEvents, this.gDiscs]) {
      g.on('click', (e) => {
        const d = e.target.__data__;
        if (!d) return;
        e.stopPropagation();
        if (d.kind === 'event') this.onEventClick(d);
        else if (d.kind === 'stack') this.onStackClick(d);
        else this.zoomTo(d.lon, d.lat, 3);
      });
      g.on('mouseover', (e) => { const d = e.target.__data__; if (d) this.onHover(e, d, d.kind); });
    }
    this.gControl.on('mouseover', (e) => { if (e.target.__data__) this.onHover(e, e.target.__data__, 'settlement'); });
    for (const g of [this.gEvents, this.gDiscs, this.gControl]) g.on('mouseout', (e) => this.onHover(e, null));
  }

  setGeo(geojson) {
    this.features = geojson.features;
    this.ukraine = { type: 'FeatureCollection', features: this.features.filter(isUkraine) };
    this.layout();
  }

  // Fits the projection to Ukraine in the SVG's current size and redraws everything.
  layout() {
    const node = this.svg.node();
    const w = node.clientWidth || 800;
    const h = node.clientHeight || 600;
    if (w === this.width && h === this.height && this.projection) return;
    this.width = w;
    this.height = h;
    this.svg.attr('viewBox', `0 0 ${w} ${h}`);
    this.svg.select('rect.backdrop').attr('width', w).attr('height', h);
    this.projection = geoConicConformal().rotate([-31.5, 0]).parallels([45, 51])
      .fitExtent([[24, 24], [w - 24, h - 24]], this.ukraine);
    const path = geoPath(this.projection);
    this.gLand.selectAll('path').data(this.features, (f) => f.properties.iso_3166_2).join('path')
      .attr('class', (f) => (isUkraine(f) ? 'oblast ua' : 'oblast neighbour'))
      .attr('data-iso', (f) => f.properties.iso_3166_2)
      .attr('d', path)
      .append('title').text((f) => f.properties.name_en || f.properties.name);
    this.oblastLabels = this.ukraine.features.map((f) => {
      const [x, y] = path.centroid(f);
      const name = (f.properties.name_en || f.properties.name).replace(/ Oblast$/, '').replace(/^Autonomous Republic of /, '');
      return { x, y, name, kind: 'oblast' };
    }).concat(COUNTRY_LABELS.map((c) => {
      const [x, y] = this.projection([c.lon, c.lat]);
      return { x, y, name: c.name, kind: c.sea ? 'sea' : 'country' };
    }));
    this.zoom.extent([[0, 0], [w, h]]).translateExtent([[-w * 0.5, -h * 0.5], [w * 1.5, h * 1.5]]);
    this.drawLabels();
    this.drawEvents();
    this.drawControl();
    this.reposition();
  }

  // The lon/lat box of what is in view (a conic projection's view is no rectangle in
  // lon/lat: the box holds its edges' points).
  viewBbox() {
    const t = this.transform;
    const pts = [];
    for (let i = 0; i <= 4; i++) {
      for (const [fx, fy] of [[i / 4, 0], [i / 4, 1], [0, i / 4], [1, i / 4]]) {
        pts.push(this.projection.invert(t.invert([fx * this.width, fy * this.height])));
      }
    }
    const lons = pts.map((p) => p[0]);
    const lats = pts.map((p) => p[1]);
    const r = (v) => Math.round(v * 1000) / 1000;
    return [r(Math.min(...lons)), r(Math.max(-90, Math.min(...lats))),
      r(Math.max(...lons)), r(Math.min(90, Math.max(...lats)))];
  }

  scale() { return this.transform.k; }

  zoomBy(factor) { this.zoom.scaleBy(this.svg, factor); this.viewChanged(); }
  reset() { this.zoom.transform(this.svg, zoomIdentity); this.viewChanged(); }
  zoomTo(lon, lat, factor) {
    const [x, y] = this.projection([lon, lat]);
    const k = Math.min(96, this.transform.k * factor);
    const t = zoomIdentity.translate(this.width / 2, this.height / 2).scale(k).translate(-x, -y);
    this.zoom.transform(this.svg, t);
    this.viewChanged();
  }

  viewChanged() {
    clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => this.onViewChange(), 120);
  }

  // Moves everything drawn in screen units to the current zoom.
  reposition() {
    const t = this.transform;
    this.gZoom.attr('transform', t.toString());
    const place = (sel) => sel.attr('transform', (d) =>
      `translate(${(t.applyX(d.x) + (d.dx || 0)).toFixed(1)},${(t.applyY(d.y) + (d.dy || 0)).toFixed(1)})`);
    place(this.gEvents.selectAll('.sym'));
    place(this.gDiscs.selectAll('.sym'));
    place(this.gControl.selectAll('.settlement'));
    place(this.gLabels.selectAll('text'));
    this.gLabels.selectAll('text.oblast').attr('display', this.showLabels ? null : 'none');
    this.gControl.classed('named', t.k >= 2.5);
  }

  drawLabels() {
    this.gLabels.selectAll('text').data(this.oblastLabels).join('text')
      .attr('class', (d) => d.kind).text((d) => d.name);
  }

  setLabels(show) { this.showLabels = show; this.reposition(); }

  // events: rows of /api/events; drawn one symbol each. A few at one point spread on a
  // small spiral so each stays clickable; more than STACK_MIN at one point (a town, or a
  // whole country named as the place) become one stack, which lists them when clicked.
  setEvents(events) {
    this.mode = 'events';
    const groups = new Map();
    for (const e of events) {
      if (e.lat == null || e.lon == null) continue;
      const key = `${e.lat},${e.lon}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(e);
    }
    this.items = [];
    for (const [key, list] of groups) {
      if (list.length > STACK_MIN) {
        const sides = new Map();
        for (const e of list) sides.set(e.side, (sides.get(e.side) || 0) + 1);
        const side = [...sides].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
        this.items.push({ kind: 'stack', id: `stack:${key}`, lat: list[0].lat, lon: list[0].lon, n: list.length,
          side, location_name: list[0].location_name, events: list });
        continue;
      }
      list.forEach((e, i) => {
        const a = i * 2.4;  // the golden angle: an even spiral
        const r = i ? 3.4 * Math.sqrt(i) : 0;
        this.items.push({ ...e, kind: 'event', family: e.family || familyOf(e.type),
          dx: r * Math.cos(a), dy: r * Math.sin(a) });
      });
    }
    // Big symbols first, so small ones stay on top and clickable.
    this.items.sort((a, b) => (b.kind === 'stack') - (a.kind === 'stack') ||
      (b.independent_sources || 1) - (a.independent_sources || 1));
    this.drawEvents();
  }

  // cells: /api/grid's cells; drawn as discs sized by their events.
  setCells(cells, cellDegrees) {
    this.mode = 'cells';
    this.cellDegrees = cellDegrees;
    this.items = cells.map((c) => ({ ...c, kind: 'cell', id: `cell:${c.lat},${c.lon}` }));
    this.drawEvents();
  }

  setControl(settlements) {
    this.settlements = settlements.filter((s) => s.lat != null && s.lon != null).map((s) => ({ ...s }));
    this.project();
    this.drawControl();
  }

  project() {
    if (!this.projection) return;
    for (const d of this.items.concat(this.settlements)) {
      const p = this.projection([d.lon, d.lat]);
      d.x = p[0];
      d.y = p[1];
    }
  }

  drawEvents() {
    if (!this.projection) return;
    this.project();
    const singles = this.items.filter((d) => d.kind === 'event');
    const discs = this.items.filter((d) => d.kind !== 'event');
    this.gEvents.selectAll('path.ev').data(singles, (d) => d.id).join('path')
      .attr('class', (d) => `sym ev fam-${d.family}` + (d.id === this.selectedId ? ' selected' : ''))
      .attr('d', (d) => symbolPath(d.family, sourceRadius(d.independent_sources || 1)))
      .attr('fill', (d) => sideColour(d.side))
      .attr('data-id', (d) => d.id)
      .attr('data-type', (d) => d.type)
      .attr('data-side', (d) => d.side)
      .attr('data-place', (d) => d.location_name);
    const max = Math.max(1, ...discs.map((c) => c.n));
    const radius = this.mode === 'cells'
      ? scaleSqrt().domain([1, max]).range([3, Math.max(6, Math.min(24, 0.6 * this.cellPixels()))])
      : scaleSqrt().domain([STACK_MIN, Math.max(STACK_MIN + 1, max)]).range([8, 20]);
    const g = this.gDiscs.selectAll('g.sym').data(discs, (d) => d.id).join((enter) => {
      const disc = enter.append('g');
      disc.append('circle');
      disc.append('text').attr('dy', '0.35em');
      return disc;
    });
    g.attr('class', (d) => `sym ${d.kind}`).attr('data-n', (d) => d.n);
    g.select('circle').attr('r', (d) => radius(d.n)).attr('fill', (d) => sideColour(d.side));
    g.select('text').text((d) => (radius(d.n) >= 8 ? shortCount(d.n) : ''));
    this.gEvents.selectAll('.sym.selected').raise();
    const svg = this.svg.node();
    svg.dataset.mode = this.mode;
    svg.dataset.symbols = String(this.items.length);
    svg.dataset.singles = String(singles.length);
    svg.dataset.shown = String(singles.length + discs.reduce((n, c) => n + c.n, 0));
    this.reposition();
  }

  // The side of a grid cell on screen, in pixels (at the centre of the view).
  cellPixels() {
    const deg = this.cellDegrees || 0.5;
    const [lon, lat] = this.projection.invert(this.transform.invert([this.width / 2, this.height / 2]));
    const a = this.projection([lon, lat]);
    const b = this.projection([lon, lat + deg]);
    return Math.hypot(b[0] - a[0], b[1] - a[1]) * this.transform.k;
  }

  drawControl() {
    if (!this.projection) return;
    const g = this.gControl.selectAll('.settlement').data(this.settlements, (d) => d.id).join((enter) => {
      const s = enter.append('g');
      s.append('circle').attr('class', 'ring').attr('r', 8);
      s.append('rect').attr('x', -4).attr('y', -4).attr('width', 8).attr('height', 8);
      s.append('text').attr('x', 7).attr('dy', '0.35em');
      return s;
    });
    g.attr('class', (d) => `settlement side-${d.side}` + (d.contested ? ' contested' : ''))
      .attr('data-name', (d) => d.name).attr('data-side', d => d.side);
    g.select('rect').attr('fill', (d) => sideColour(d.side));
    g.select('circle.ring').attr('display', (d) => (d.contested ? null : 'none'));
    g.select('text').text((d) => d.name);
    this.svg.node().dataset.settlements = String(this.settlements.length);
    this.reposition();
  }

  setControlVisible(v) { this.gControl.attr('display', v ? null : 'none'); }
  setEventsVisible(v) {
    this.gEvents.attr('display', v ? null : 'none');
    this.gDiscs.attr('display', v ? null : 'none');
  }

  select(id) {
    this.selectedId = id;
    this.gEvents.selectAll('.sym').classed('selected', (d) => d.id === id);
    this.gEvents.selectAll('.sym.selected').raise();
  }
}

function shortCount(n) {
  return n >= 10000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export function describe(d, kind) {
  if (kind === 'stack') return `${d.n} events at ${d.location_name || 'one point'}; click to list them`;
  if (kind === 'cell') return `${d.n} events here, mostly ${label(d.type)} by ${d.side}; click to zoom in`;
  if (kind === 'settlement') {
    return `${d.name}: held by ${d.side} since ${d.from}` + (d.contested ? ' (contested)' : '') +
      (d.background ? ' (before the reporting)' : '');
  }
  return `${label(d.type)} by ${d.side} · ${d.date || 'undated'} · ${d.location_name || ''}` +
    ` · ${d.status} · ${d.independent_sources || 1} source${(d.independent_sources || 1) > 1 ? 's' : ''}`;
}
