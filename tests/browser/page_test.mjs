// The page in a real browser: `sitrep serve` on a database of the examples, headless
// Chromium (/usr/bin/chromium) driven by playwright-core. Checks that the page loads
// nothing from outside the server, draws the oblasts, the events and the settlements,
// that brushing the timeline and unticking a type change what the map shows (exactly as
// the API counts), and that clicking an event shows its article with the trigger
// highlighted; and, with ?individual=5, that the events in view are drawn as grid cells
// holding what the API counts, and that clicking a cell zooms in. Saves a screenshot (test-artifacts/page.png). Exit 77 (skip) only when
// Chromium is absent.
//
// Environment (set by web/CMakeLists.txt): SITREP_BIN, SITREP_SOURCE, SITREP_WEB (the
// built page), SITREP_WEB_MODULES (node_modules with playwright-core), SITREP_ARTIFACTS;
// SITREP_CHROMIUM overrides the browser's path.
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = process.env.SITREP_SOURCE || path.resolve(here, '../..');
const bin = process.env.SITREP_BIN || path.join(source, 'build/sitrep');
const web = process.env.SITREP_WEB || path.join(source, 'build/web');
const modules = process.env.SITREP_WEB_MODULES || path.join(source, 'build/web-build/node_modules');
const artifacts = process.env.SITREP_ARTIFACTS || path.join(source, 'build/test-artifacts');
const chromiumPath = process.env.SITREP_CHROMIUM || '/usr/bin/chromium';

if (!fs.existsSync(chromiumPath)) {
  console.log(`SKIP: no Chromium at ${chromiumPath}`);
  process.exit(77);
}

let failures = 0;
function check(ok, what, detail) {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}${detail !== undefined ? `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` : ''}`);
  }
  return ok;
}
function fatal(message) {
  console.error(`FAIL ${message}`);
  cleanup();
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-page-test-'));
let server = null;
let browser = null;
let serverLog = '';
function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
const deadline = setTimeout(() => fatal('the test ran over 100 s'), 100_000);
deadline.unref();

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function api(base, p, params) {
  const q = params ? `?${new URLSearchParams(params)}` : '';
  const r = await fetch(`${base}${p}${q}`);
  if (!r.ok) throw new Error(`${p}${q}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function main() {
  for (const [what, p] of [['sitrep binary', bin], ['built page', path.join(web, 'index.html')],
    ['playwright-core', path.join(modules, 'playwright-core')]]) {
    if (!fs.existsSync(p)) fatal(`no ${what} at ${p} (build the sitrep and web targets)`);
  }
  const { chromium } = createRequire(path.join(modules, '..', 'package.json'))('playwright-core');

  // The examples' database.
  const db = path.join(tmp, 'test.db');
  const extract = spawnSync(bin, ['extract', path.join(source, 'examples'), '--db', db, '-q'],
    { encoding: 'utf8', timeout: 60_000 });
  if (extract.status !== 0) fatal(`sitrep extract: exit ${extract.status}\n${extract.stderr}`);

  // The server, on a free port, until it answers.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--db', db, '--port', String(port), '--host', '127.0.0.1', '--web', web],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  let summary = null;
  for (let i = 0; i < 100 && !summary; i++) {
    if (server.exitCode !== null) fatal(`sitrep serve exited ${server.exitCode}:\n${serverLog}`);
    try { summary = await api(base, '/api/summary'); } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  if (!summary) fatal(`sitrep serve did not answer on ${base}:\n${serverLog}`);
  check(summary.events > 0, 'the examples give events', summary);

  browser = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 950 },
  });
  // Nothing may leave the server: every other request is refused and counted.
  const outside = [];
  await browser.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`) || url === base) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = browser.pages()[0] || await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  const failed = [];
  page.on('requestfailed', (r) => { if (r.url().startsWith(base)) failed.push(`${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`); });

  // Waits until the page has no request in flight (after its debounce timers ran).
  const settle = async () => {
    await page.waitForTimeout(250);
    await page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 20_000 });
  };
  const mapData = () => page.evaluate(() => ({ ...document.getElementById('map').dataset }));
  const viewBbox = () => page.evaluate(() => window.sitrep.map.viewBbox().join(','));

  const t0 = Date.now();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30_000 });
  const ready = await page.evaluate(() => document.body.dataset.ready);
  if (!check(ready === '1', 'the page starts', await page.locator('#status').textContent())) {
    fatal(`page errors: ${pageErrors.join('\n')}`);
  }
  await settle();
  console.log(`     page ready in ${Date.now() - t0} ms`);

  // The map: 40 units, the 27 Ukrainian ones (Crimea and Sevastopol included) drawn as
  // Ukraine, each a bounded shape (a ring wound the wrong way fills the whole view).
  const land = await page.evaluate(() => {
    const svg = document.getElementById('map').getBoundingClientRect();
    const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return r.width * r.height; };
    return { all: document.querySelectorAll('#map path.oblast').length,
      ua: document.querySelectorAll('#map path.oblast.ua').length,
      crimea: document.querySelectorAll('#map path.oblast.ua[data-iso="UA-43"], #map path.oblast.ua[data-iso="UA-40"]').length,
      kharkiv: box('#map path[data-iso="UA-63"]') / (svg.width * svg.height) };
  });
  check(land.all === 40 && land.ua === 27 && land.crimea === 2, 'the map draws the oblasts, Crimea as Ukraine', land);
  check(land.kharkiv > 0.002 && land.kharkiv < 0.1, 'an oblast is a bounded shape on the map', land);

  // The events in view: exactly those the API counts in the page's view.
  const first = await mapData();
  const bbox = await viewBbox();
  const inView = await api(base, '/api/events', { bbox, limit: 1 });
  check(Number(first.shown) > 0 && Number(first.shown) === inView.total,
    'the map shows the events in view', { page: first, api: inView.total, bbox });
  const symbols = await page.locator('#map .events .sym').count();
  check(symbols > 0, 'event symbols are drawn', symbols);
  const places = await page.$$eval('#map path.ev', (els) => els.map((e) => e.dataset.place));
  check(places.includes('Kupiansk'), 'an event at Kupiansk is on the map', places);

  // The control layer: the settlements the API gives for the last day, coloured by holder.
  const latest = summary.date_max.slice(0, 10);
  const control = await api(base, '/api/control', { date: latest });
  const placed = control.settlements.filter((s) => s.lat != null && s.lon != null);
  const drawn = await page.$$eval('#map .settlement', (els) => els.map((e) => ({ name: e.dataset.name,
    side: e.dataset.side, fill: e.querySelector('rect').getAttribute('fill') })));
  check(placed.length > 0 && drawn.length === placed.length, 'the control layer draws the settlements',
    { api: placed.length, page: drawn.length });
  const fills = new Map(drawn.map((d) => [d.side, d.fill]));
  check(drawn.every((d) => d.fill === fills.get(d.side)) && (fills.size < 2 || new Set(fills.values()).size === fills.size),
    'settlements are coloured by holder', [...fills]);

  // Brushing the timeline: drag over the busiest bar; the map then shows the events of
  // those dates in view, fewer than before, as the API counts them.
  const bar = await page.evaluate(() => {
    const bars = [...document.querySelectorAll('#timeline .bars rect')];
    const top = bars.reduce((a, b) => (Number(b.dataset.n) > Number(a.dataset.n) ? b : a));
    const r = top.getBoundingClientRect();
    return { x: r.left, w: r.width, y: r.top + r.height / 2, bars: bars.length, date: top.dataset.date };
  });
  check(bar.bars > 1, 'the timeline draws bars', bar);
  const y = (await page.locator('#timeline').boundingBox()).y + 40;
  await page.mouse.move(bar.x + 0.2, y);
  await page.mouse.down();
  await page.mouse.move(bar.x + Math.max(bar.w, 3) - 0.2, y, { steps: 4 });
  await page.mouse.up();
  await settle();
  const range = await page.evaluate(() => window.sitrep.state.range);
  const brushed = await mapData();
  check(Array.isArray(range), 'the brush chooses dates', range);
  if (range) {
    const want = await api(base, '/api/events', { bbox: await viewBbox(), from: range[0], to: range[1], limit: 1 });
    check(Number(brushed.shown) < Number(first.shown) && Number(brushed.shown) === want.total,
      'brushing the timeline shows the events of those dates', { before: first.shown, after: brushed.shown, api: want.total, range });
    const label = await page.locator('#control-date').textContent();
    check(label.includes(range[1]), 'control is shown for the last brushed day', label);
  }
  await page.click('#brush-clear');
  await settle();
  check((await mapData()).shown === first.shown, 'clearing the brush shows every date again');

  // A type filter: untick the commonest type among the single symbols.
  const types = await page.$$eval('#map path.ev', (els) => els.map((e) => e.dataset.type));
  const counts = types.reduce((m, t) => m.set(t, (m.get(t) || 0) + 1), new Map());
  const commonest = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  await page.locator(`#filter-type input[value="${commonest}"]`).uncheck();
  await settle();
  const filtered = await mapData();
  const others = (await page.$$eval('#filter-type input:checked', (els) => els.map((e) => e.value))).join(',');
  const wantTyped = await api(base, '/api/events', { bbox: await viewBbox(), type: others, limit: 1 });
  check(Number(filtered.shown) < Number(first.shown) && Number(filtered.shown) === wantTyped.total,
    `unticking ${commonest} removes its events`, { before: first.shown, after: filtered.shown, api: wantTyped.total });
  check(await page.locator(`#map path.ev[data-type="${commonest}"]`).count() === 0, `no ${commonest} symbol is left`);
  await page.locator(`#filter-type input[value="${commonest}"]`).check();
  await settle();
  check((await mapData()).shown === first.shown, 'ticking it again restores them');

  // Clicking an event: its article, the trigger highlighted. Prefer one at Kupiansk; click
  // where the symbol shows and expect the event on top there.
  const target = await page.evaluate(() => {
    const els = [...document.querySelectorAll('#map path.ev')];
    const visible = els.map((e) => {
      const r = e.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      return { id: e.dataset.id, place: e.dataset.place, x, y, top: document.elementFromPoint(x, y) === e };
    }).filter((e) => e.top);
    return visible.find((e) => e.place === 'Kupiansk') || visible[0] || null;
  });
  if (check(target !== null, 'an event symbol can be clicked')) {
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction((id) => {
      const b = document.getElementById('evidence-body');
      return b.dataset.state === 'ready' && b.dataset.eventId === id;
    }, target.id, { timeout: 20_000 });
    const event = await api(base, `/api/events/${encodeURIComponent(target.id)}`);
    const shown = await page.evaluate(() => ({
      trigger: [...document.querySelectorAll('#evidence-body mark.hl-trigger')].map((m) => m.textContent).join(''),
      evidence: [...document.querySelectorAll('#evidence-body mark.hl-evidence')].map((m) => m.textContent).join(''),
      places: document.querySelectorAll('#evidence-body mark.hl-place').length,
      claimant: [...document.querySelectorAll('#evidence-body mark.hl-claimant')].map((m) => m.textContent).join(''),
      selected: document.querySelectorAll('#map path.ev.selected').length,
      type: document.querySelector('#evidence-body .ev-head h2').textContent,
    }));
    check(shown.trigger === event.evidence.trigger && shown.trigger.length > 0,
      'clicking an event highlights its trigger in the article', { page: shown.trigger, api: event.evidence.trigger });
    check(shown.evidence.replace(/\s+/g, ' ').trim() === event.evidence.text.replace(/\s+/g, ' ').trim(),
      'the evidence sentence is highlighted', { page: shown.evidence, api: event.evidence.text });
    const spannedPlaces = (event.locations || []).filter((l) => Array.isArray(l.span)).length;
    check(spannedPlaces === 0 || shown.places > 0, 'its places are highlighted', shown.places);
    const claimant = event.source && event.source.text;
    if (claimant && event.evidence.text.includes(claimant)) {
      check(shown.claimant === claimant, 'its claimant is highlighted', { page: shown.claimant, api: claimant });
    }
    check(shown.selected === 1, 'the clicked event is marked on the map');
  }

  await page.mouse.move(1, 1);  // no tooltip over the screenshot
  fs.mkdirSync(artifacts, { recursive: true });
  const shot = path.join(artifacts, 'page.png');
  await page.screenshot({ path: shot });
  console.log(`     screenshot: ${shot}`);

  // Cells: with at most 5 events drawn one by one, the view's events are aggregated into
  // grid cells that hold exactly what the API counts; clicking a cell zooms in on it.
  await page.goto(`${base}/?individual=5`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
  await settle();
  const cells = await mapData();
  const cellBbox = await viewBbox();
  const inCells = await api(base, '/api/events', { bbox: cellBbox, limit: 1 });
  const cellNs = await page.$$eval('#map g.sym.cell', (els) => els.map((e) => Number(e.dataset.n)));
  check(cells.mode === 'cells' && cellNs.length > 0 && Number(cells.shown) === inCells.total &&
    cellNs.reduce((a, b) => a + b, 0) === inCells.total, 'many events in view are drawn as cells',
  { mode: cells.mode, cells: cellNs.length, shown: cells.shown, api: inCells.total });
  // The biggest cell not covered by a settlement of the control layer, clicked at its centre.
  const cell = await page.evaluate(() => {
    const els = [...document.querySelectorAll('#map g.sym.cell')].sort((a, b) => b.dataset.n - a.dataset.n);
    for (const g of els) {
      const r = g.querySelector('circle').getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (g.contains(document.elementFromPoint(x, y))) return { x, y };
    }
    return null;
  });
  const scale = await page.evaluate(() => window.sitrep.map.scale());
  if (!cell) throw new Error('every cell is covered');
  await page.mouse.click(cell.x, cell.y);
  await page.waitForFunction((k) => window.sitrep.map.scale() > k, scale, { timeout: 10_000 });
  await settle();
  const zoomedIn = await mapData();
  const zoomedTotal = (await api(base, '/api/events', { bbox: await viewBbox(), limit: 1 })).total;
  check(Number(zoomedIn.shown) === zoomedTotal && zoomedTotal < inCells.total,
    'clicking a cell zooms in on it', { before: inCells.total, after: zoomedIn.shown, api: zoomedTotal });

  check(outside.length === 0, 'no request left the server', outside);
  check(failed.length === 0, 'every request of the page succeeded', failed);
  check(pageErrors.length === 0, 'no script error', pageErrors);
}

try {
  await main();
} catch (err) {
  failures++;
  console.error(`FAIL ${err.stack || err}`);
  if (serverLog) console.error(`server output:\n${serverLog}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  cleanup();
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
