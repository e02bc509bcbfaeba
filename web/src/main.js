// The page of `sitrep serve`: wires the filters, the map, the timeline and the evidence
// panel to the JSON API (docs/api.md). Everything it loads comes from the server it was
// served by: no tiles, fonts or scripts from elsewhere.
import { select } from 'd3-selection';
import { utcDay, utcMonth } from 'd3-time';
import { getJson, filterParams } from './api.js';
import { MapView, describe } from './map.js';
import { Timeline, isoDay, parseDay } from './timeline.js';
import { EvidencePanel } from './evidence.js';
import { rewindForD3 } from './geo.js';
import { FAMILIES, SIDES, SIDE_LABELS, STATUSES, familyOf, setOntology, sideColour, symbolPath, sourceRadius,
  label } from './symbols.js';

// Up to this many events in view are drawn one by one; more are aggregated (/api/grid).
// ?individual=N in the page's address sets another limit (a slow machine; the browser test).
const MAX_INDIVIDUAL = Number(new URLSearchParams(window.location.search).get('individual')) || 2500;

// The filters' choices: every type, side and status once the ontology is known (start).
const state = {
  types: new Set(), allTypes: [],
  sides: new Set(), allSides: [],
  statuses: new Set(), allStatuses: [],
  minSources: 1,
  range: null,           // [from, to] chosen on the timeline, or null for all dates
  latest: null,          // the last day of the data (control when no range is chosen)
  showEvents: true,
  showControl: true,
};

// Work in flight, for the status line and for tests (body[data-busy]).
let busy = 0;
function track(promise) {
  busy++;
  document.body.dataset.busy = String(busy);
  return promise.finally(() => {
    busy--;
    document.body.dataset.busy = String(busy);
  });
}

const $ = (id) => document.getElementById(id);
const fmt = (n) => Number(n).toLocaleString('en');

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', Boolean(isError));
}

const tooltip = $('tooltip');
function hover(event, d, kind) {
  if (!d) { tooltip.hidden = true; return; }
  const wrap = $('map-wrap').getBoundingClientRect();
  tooltip.textContent = describe(d, kind);
  tooltip.hidden = false;
  const x = Math.min(event.clientX - wrap.left + 12, wrap.width - 280);
  tooltip.style.left = `${Math.max(4, x)}px`;
  tooltip.style.top = `${event.clientY - wrap.top + 12}px`;
}

$('map').addEventListener('mouseleave', () => { tooltip.hidden = true; });
const map = new MapView($('map'), {
  onEventClick: (d) => openEvent(d.id),
  onStackClick: (d) => {
    tooltip.hidden = true;
    map.select(null);
    evidence.showList(`${fmt(d.n)} events at ${d.location_name || 'this point'}`, d.events);
  },
  onViewChange: () => refreshMap(),
  onHover: hover,
});
const timeline = new Timeline($('timeline'), {
  onBrush: (range) => {
    state.range = range;
    showRange();
    refreshMap();
    refreshControl();
  },
  onBrushMove: (range) => { $('range-label').textContent = range ? `${range[0]} – ${range[1]}` : ''; },
});
const evidence = new EvidencePanel($('evidence-body'), $('evidence-empty'), {
  onSelect: (id) => openEvent(id),
});

function openEvent(id) {
  tooltip.hidden = true;
  map.select(id);
  track(evidence.show(id));
}

function showRange() {
  $('range-label').textContent = state.range ? `${state.range[0]} – ${state.range[1]}` : 'all dates';
  $('brush-clear').hidden = !state.range;
  $('timeline-zoom').hidden = !state.range;
  $('timeline-hint').hidden = Boolean(state.range);
}

// --- the map -------------------------------------------------------------------------
let mapToken = 0;
function cellSize() {
  // About 30 pixels a cell at any zoom, in steps the server accepts (0.01 to 10 degrees).
  const deg = 0.5 / map.scale();
  const steps = [2, 1, 0.5, 0.25, 0.1, 0.05, 0.025, 0.01];
  return steps.find((s) => s <= deg * 1.01) || 0.01;
}

function refreshMap() {
  const token = ++mapToken;
  const params = filterParams(state);
  if (!params) {
    map.setEvents([]);
    setStatus('no event matches: tick a type, side and status');
    return Promise.resolve();
  }
  const bbox = map.viewBbox().join(',');
  return track((async () => {
    const grid = await getJson('/api/grid', { ...params, bbox, cell: String(cellSize()) });
    if (token !== mapToken) return;
    let text;
    if (grid.total <= MAX_INDIVIDUAL) {
      const page = await getJson('/api/events', { ...params, bbox, limit: String(MAX_INDIVIDUAL) });
      if (token !== mapToken) return;
      map.setEvents(page.events);
      text = `${fmt(page.total)} event${page.total === 1 ? '' : 's'} in view`;
    } else {
      map.setCells(grid.cells, grid.cell);
      text = `${fmt(grid.total)} events in view, in ${fmt(grid.cells.length)} cells of ${grid.cell}° — zoom in for single events`;
    }
    const dates = state.range ? `${state.range[0]} – ${state.range[1]}` : 'all dates';
    setStatus(`${text} · ${dates}`);
  })().catch((err) => setStatus(`map: ${err.message}`, true)));
}

let controlToken = 0;
function refreshControl() {
  const token = ++controlToken;
  const date = state.range ? state.range[1] : state.latest;
  $('control-date').textContent = date ? `on ${date}` : '';
  if (!date) return Promise.resolve();
  return track(getJson('/api/control', { date }).then((answer) => {
    if (token !== controlToken) return;
    map.setControl(answer.settlements || []);
  }).catch((err) => setStatus(`control: ${err.message}`, true)));
}

// --- the timeline --------------------------------------------------------------------
let timelineToken = 0;
// known: an unfiltered /api/timeline answer already at hand (the page's first, by month),
// used instead of asking again when it is what would be asked.
function refreshTimeline(known) {
  const token = ++timelineToken;
  const params = filterParams(state, { dates: false });
  if (!params) { timeline.setCounts([], timeline.bucket); return Promise.resolve(); }
  if (known && known.bucket === timeline.bucket && Object.keys(params).length === 0) {
    timeline.setCounts(known.counts, known.bucket);
    return Promise.resolve();
  }
  return track(getJson('/api/timeline', { ...params, bucket: timeline.bucket }).then((answer) => {
    if (token !== timelineToken) return;
    timeline.setCounts(answer.counts, answer.bucket);
  }).catch((err) => setStatus(`timeline: ${err.message}`, true)));
}

// The timeline's axis: the months holding all but the earliest and latest 0.5% of the
// dated events, and without a small far head or tail (at most 5% of the events, apart
// from the rest by 6 months or more without one): a stray date decades off, or a few
// reports of 2014, would squeeze the war into a line. "whole timeline" shows them.
function timelineDomain(months) {
  const total = months.reduce((n, c) => n + c.n, 0);
  if (!total) return null;
  const dates = months.map((c) => parseDay(c.date));
  const gap = (i, j) => utcMonth.count(dates[i], dates[j]);
  let lo = 0;
  let hi = months.length - 1;
  for (let seen = 0; lo < hi && seen + months[lo].n <= total * 0.005; lo++) seen += months[lo].n;
  for (let seen = 0; hi > lo && seen + months[hi].n <= total * 0.005; hi--) seen += months[hi].n;
  for (let i = lo + 1, head = months[lo].n; i <= hi; head += months[i].n, i++) {
    if (head > total * 0.05) break;
    if (gap(i - 1, i) >= 6) lo = i;
  }
  for (let i = hi - 1, tail = months[hi].n; i >= lo; tail += months[i].n, i--) {
    if (tail > total * 0.05) break;
    if (gap(i, i + 1) >= 6) hi = i;
  }
  const count = (a, b) => months.slice(a, b).reduce((n, c) => n + c.n, 0);
  return {
    domain: [dates[lo], utcMonth.offset(dates[hi], 1)],
    full: [dates[0], utcMonth.offset(dates[months.length - 1], 1)],
    before: count(0, lo), after: count(hi + 1, months.length),
  };
}

function bucketFor(domain) {
  const days = (domain[1] - domain[0]) / 864e5;
  return days <= 200 ? 'day' : days <= 1500 ? 'week' : 'month';
}

// Shows the timeline over domain ([Date, Date]) and reloads its counts (known: see
// refreshTimeline).
function setTimelineDomain(domain, known) {
  state.domain = domain;
  timeline.bucket = bucketFor(domain);
  timeline.setDomain(...domain);
  const full = state.axis.full;
  const whole = domain[0] <= full[0] && domain[1] >= full[1];
  const outside = [];
  if (!whole && state.axis.before && domain[0] > full[0]) outside.push(`${fmt(state.axis.before)} earlier`);
  if (!whole && state.axis.after && domain[1] < full[1]) outside.push(`${fmt(state.axis.after)} later`);
  $('timeline-outside').textContent = outside.length ? `${outside.join(', ')} off the axis` : '';
  $('timeline-full').hidden = whole;
  return refreshTimeline(known);
}

// --- filters and legend ----------------------------------------------------------------
function glyphSvg(family, colour, r = 6) {
  const size = 2 * r + 4;
  return `<svg class="glyph" width="${size}" height="${size}" viewBox="${-size / 2} ${-size / 2} ${size} ${size}">` +
    `<path d="${symbolPath(family, r)}" fill="${colour}"/></svg>`;
}

function checkbox(container, { value, text, count, glyph, set, onChange }) {
  const id = `f-${container.id}-${value}`;
  const row = document.createElement('label');
  row.className = 'check' + (count ? '' : ' empty');
  row.innerHTML = `<input type="checkbox" id="${id}" value="${value}" checked>${glyph || ''}<span class="text"></span><span class="count"></span>`;
  row.querySelector('.text').textContent = text;
  row.querySelector('.count').textContent = count ? fmt(count) : '0';
  row.querySelector('input').addEventListener('change', (e) => {
    if (e.target.checked) set.add(value); else set.delete(value);
    onChange();
  });
  container.append(row);
}

function filtersChanged() {
  refreshTimeline();
  refreshMap();
}

function buildFilters(summary) {
  const types = summary.types || {};
  // Every ontology type, and any type the database holds that the ontology lacks.
  const families = FAMILIES.map(([f, list]) => [f, [...list]]);
  for (const t of Object.keys(types)) {
    if (!families.some(([, list]) => list.includes(t))) families.find(([f]) => f === familyOf(t))[1].push(t);
  }
  state.allTypes = families.flatMap(([, list]) => list);
  state.types = new Set(state.allTypes);
  const typeBox = $('filter-type');
  for (const [family, list] of families) {
    const group = document.createElement('div');
    group.className = 'family';
    group.innerHTML = `<div class="family-name">${glyphSvg(family, '#555')}<span>${family}</span></div>`;
    typeBox.append(group);
    for (const t of list) {
      checkbox(group, { value: t, text: label(t), count: types[t], set: state.types, onChange: filtersChanged });
    }
  }
  const setAllTypes = (on) => {
    for (const input of typeBox.querySelectorAll('input')) input.checked = on;
    state.types = new Set(on ? state.allTypes : []);
    filtersChanged();
  };
  $('types-all').addEventListener('click', () => setAllTypes(true));
  $('types-none').addEventListener('click', () => setAllTypes(false));

  const sides = summary.sides || {};
  for (const s of SIDES) {
    checkbox($('filter-side'), { value: s, text: SIDE_LABELS[s] + (s.length <= 2 ? ` (${s})` : ''),
      count: sides[s], glyph: `<span class="swatch" style="background:${sideColour(s)}"></span>`,
      set: state.sides, onChange: filtersChanged });
  }
  const statuses = summary.statuses || {};
  state.allStatuses = STATUSES.concat(Object.keys(statuses).filter((s) => !STATUSES.includes(s)));
  state.statuses = new Set(state.allStatuses);
  for (const s of state.allStatuses) {
    checkbox($('filter-status'), { value: s, text: s, count: statuses[s], set: state.statuses, onChange: filtersChanged });
  }

  const slider = $('min-sources');
  slider.addEventListener('input', () => { $('min-sources-value').textContent = slider.value; });
  slider.addEventListener('change', () => { state.minSources = Number(slider.value); filtersChanged(); });

  $('size-legend').innerHTML = [1, 3, 10].map((n) =>
    `<span>${glyphSvg('combat', '#777', sourceRadius(n))} ${n}</span>`).join('');
  $('control-legend').innerHTML =
    ['RU', 'UA'].map((s) => `<span><svg class="glyph" width="12" height="12"><rect x="2" y="2" width="8" height="8" fill="${sideColour(s)}" stroke="#fff"/></svg> held by ${s}</span>`).join('') +
    '<span><svg class="glyph" width="20" height="20" viewBox="-10 -10 20 20"><circle class="ring" r="8"/><rect x="-4" y="-4" width="8" height="8" fill="#999"/></svg> contested</span>';

  $('layer-events').addEventListener('change', (e) => { state.showEvents = e.target.checked; map.setEventsVisible(state.showEvents); });
  $('layer-control').addEventListener('change', (e) => { state.showControl = e.target.checked; map.setControlVisible(state.showControl); });
  $('layer-labels').addEventListener('change', (e) => map.setLabels(e.target.checked));
  $('zoom-in').addEventListener('click', () => map.zoomBy(2));
  $('zoom-out').addEventListener('click', () => map.zoomBy(0.5));
  $('zoom-reset').addEventListener('click', () => map.reset());
  $('timeline-zoom').addEventListener('click', () => {
    if (!state.range) return;
    setTimelineDomain([parseDay(state.range[0]), utcDay.offset(parseDay(state.range[1]), 1)]);
  });
  $('timeline-full').addEventListener('click', () => setTimelineDomain(state.axis.full));
  $('brush-clear').addEventListener('click', () => {
    state.range = null;
    timeline.moveBrush(null);
    showRange();
    refreshMap();
    refreshControl();
  });
}

async function start() {
  const t0 = performance.now();
  document.body.dataset.busy = '0';
  // Independent loads; the map asks for its events as soon as it can be laid out (the
  // filters start as "everything" of the ontology), the rest as their answers come.
  const ontologyP = track(getJson('/api/ontology'));
  const geoP = track(getJson('data/ne_10m_admin1_UA_BY_RU-border.geojson'));
  const summaryP = track(getJson('/api/summary'));
  const monthsP = track(getJson('/api/timeline', { bucket: 'month' }));
  setOntology(await ontologyP);
  state.allTypes = FAMILIES.flatMap(([, list]) => list);
  state.types = new Set(state.allTypes);
  state.allSides = SIDES;
  state.sides = new Set(SIDES);
  state.allStatuses = STATUSES;
  state.statuses = new Set(STATUSES);
  map.setGeo(rewindForD3(await geoP));
  const mapP = refreshMap();

  const summary = await summaryP;
  $('summary').textContent = `${fmt(summary.events)} events from ${fmt(summary.documents)} articles, ` +
    `${fmt(summary.clusters)} clusters · ${summary.date_min || '?'} – ${summary.date_max || '?'}`;
  buildFilters(summary);
  state.latest = summary.date_max ? summary.date_max.slice(0, 10) : null;
  const controlP = refreshControl();

  const months = await monthsP;
  state.axis = timelineDomain(months.counts || []) || (() => {
    const d = [utcDay.offset(utcDay.floor(new Date()), -365), utcDay.floor(new Date())];
    return { domain: d, full: d, before: 0, after: 0 };
  })();
  showRange();
  new ResizeObserver(() => { map.layout(); timeline.layout(); }).observe($('centre'));
  await Promise.all([setTimelineDomain(state.axis.domain, months), mapP, controlP]);
  document.body.dataset.loadMs = String(Math.round(performance.now() - t0));
  document.body.dataset.ready = '1';
}

start().catch((err) => {
  setStatus(`The page could not start: ${err.message}`, true);
  document.body.dataset.ready = 'error';
});

// For the browser test and the console.
window.sitrep = { state, map, timeline, refreshMap };
select(window).on('keydown.sitrep', (e) => { if (e.key === 'Escape') { map.select(null); evidence.clear(); } });
