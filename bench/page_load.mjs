// How quickly the page answers on a big record: `sitrep serve` on the database given,
// headless Chromium (playwright-core), and the times from a user's actions to the page
// showing their result (no request in flight, everything drawn):
//   load     open the page (summary, oblasts, timeline, control, map)
//   brush    drag over the busiest bar of the timeline
//   click    click an event: its article with the evidence highlighted
//   zoom     zoom the map in twice (mouse wheel) on the brushed dates
//   filter   untick the commonest type
//   clear    clear the brush: every date again
// Medians of --runs (default 3) fresh page loads. A screenshot of the last run goes to
// build/bench-artifacts/page_load.png. Prints one line per step; exit 1 if any step failed.
//
// Usage: node bench/page_load.mjs DB [--runs N]   (DB: an SQLite file or postgresql:// URL;
// bench/api_db.sh makes one of 125,000 events). Needs the sitrep and web targets built.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, '..');
const bin = process.env.SITREP_BIN || path.join(source, 'build/sitrep');
const web = process.env.SITREP_WEB || path.join(source, 'build/web');
const modules = process.env.SITREP_WEB_MODULES || path.join(source, 'build/web-build/node_modules');
const chromiumPath = process.env.SITREP_CHROMIUM || '/usr/bin/chromium';
const artifacts = path.join(source, 'build/bench-artifacts');

const args = process.argv.slice(2);
const db = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--runs');
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 3);
if (!db || !(runs > 0)) {
  console.error('usage: node bench/page_load.mjs DB [--runs N]');
  process.exit(2);
}
for (const [what, p] of [['sitrep binary', bin], ['built page', path.join(web, 'index.html')],
  ['playwright-core', path.join(modules, 'playwright-core')], ['Chromium', chromiumPath]]) {
  if (!fs.existsSync(p)) {
    console.error(`no ${what} at ${p}`);
    process.exit(2);
  }
}
const { chromium } = createRequire(path.join(modules, '..', 'package.json'))('playwright-core');

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

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let serverLog = '';
const server = spawn(bin, ['serve', '--db', db, '--port', String(port), '--web', web],
  { stdio: ['ignore', 'pipe', 'pipe'] });
server.stdout.on('data', (d) => { serverLog += d; });
server.stderr.on('data', (d) => { serverLog += d; });
let summary = null;
for (let i = 0; i < 300 && !summary; i++) {
  if (server.exitCode !== null) {
    console.error(`sitrep serve exited ${server.exitCode}:\n${serverLog}`);
    process.exit(1);
  }
  try {
    const r = await fetch(`${base}/api/summary`);
    if (r.ok) summary = await r.json();
  } catch { /* not yet */ }
  if (!summary) await new Promise((r) => setTimeout(r, 100));
}
if (!summary) {
  console.error(`sitrep serve did not answer:\n${serverLog}`);
  process.exit(1);
}
console.log(`${summary.events} events, ${summary.documents} documents, ${summary.clusters} clusters (${summary.backend})`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-page-bench-'));
const browser = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  viewport: { width: 1600, height: 950 },
});

const times = {};
const notes = {};
let failures = 0;
function record(step, ms, note) {
  (times[step] ||= []).push(ms);
  if (note !== undefined) notes[step] = note;
}

async function oneRun(last) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.url()} ${r.status()}`); });
  // From an action to the page at rest: a frame for the debounce timers, then no work.
  const settled = async (t0) => {
    await page.waitForTimeout(30);
    await page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 60_000, polling: 5 });
    return Date.now() - t0;
  };
  const map = () => page.evaluate(() => ({ ...document.getElementById('map').dataset }));

  let t0 = Date.now();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000, polling: 5 });
  const loaded = await settled(t0);
  let m = await map();
  record('load', loaded, `${m.mode}: ${m.shown} events in view, ${m.symbols} symbols`);

  const bar = await page.evaluate(() => {
    const bars = [...document.querySelectorAll('#timeline .bars rect')];
    const top = bars.reduce((a, b) => (Number(b.dataset.n) > Number(a.dataset.n) ? b : a));
    const r = top.getBoundingClientRect();
    return { x: r.left, w: r.width, n: top.dataset.n, date: top.dataset.date };
  });
  const y = (await page.locator('#timeline').boundingBox()).y + 40;
  await page.mouse.move(bar.x + 0.2, y);
  await page.mouse.down();
  await page.mouse.move(bar.x + Math.max(bar.w, 3) - 0.2, y, { steps: 2 });
  t0 = Date.now();
  await page.mouse.up();
  const brushed = await settled(t0);
  m = await map();
  record('brush', brushed, `${m.mode}: ${m.shown} events in view, ${m.symbols} symbols (bar ${bar.date}, ${bar.n})`);

  const target = await page.evaluate(() => {
    for (const e of document.querySelectorAll('#map path.ev')) {
      const r = e.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (document.elementFromPoint(x, y) === e) return { id: e.dataset.id, x, y };
    }
    return null;
  });
  if (target) {
    t0 = Date.now();
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction((id) => {
      const b = document.getElementById('evidence-body');
      return b.dataset.state === 'ready' && b.dataset.eventId === id;
    }, target.id, { timeout: 60_000, polling: 5 });
    record('click', Date.now() - t0, target.id);
  } else {
    record('click', NaN, 'no single event clickable in the brushed view');
  }

  const box = await page.locator('#map').boundingBox();
  await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.45);
  t0 = Date.now();
  await page.mouse.wheel(0, -600);
  await page.waitForTimeout(50);
  await page.mouse.wheel(0, -600);
  const zoomed = await settled(t0);
  m = await map();
  record('zoom', zoomed, `${m.mode}: ${m.shown} events in view, ${m.symbols} symbols`);

  const types = await page.$$eval('#map path.ev', (els) => els.map((e) => e.dataset.type));
  if (types.length > 0) {
    const counts = types.reduce((c, t) => c.set(t, (c.get(t) || 0) + 1), new Map());
    const commonest = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    t0 = Date.now();
    await page.locator(`#filter-type input[value="${commonest}"]`).uncheck();
    const filtered = await settled(t0);
    m = await map();
    record('filter', filtered, `untick ${commonest}: ${m.shown} events in view`);
    await page.locator(`#filter-type input[value="${commonest}"]`).check();
    await settled(Date.now());
  }

  t0 = Date.now();
  await page.click('#brush-clear');
  const cleared = await settled(t0);
  m = await map();
  record('clear', cleared, `${m.mode}: ${m.shown} events in view`);

  if (last) {
    fs.mkdirSync(artifacts, { recursive: true });
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(artifacts, 'page_load.png') });
  }
  if (errors.length) {
    failures++;
    console.error(`errors: ${errors.join('\n')}`);
  }
  await page.close();
}

try {
  for (let i = 0; i < runs; i++) await oneRun(i === runs - 1);
} catch (err) {
  failures++;
  console.error(err.stack || String(err));
} finally {
  await browser.close().catch(() => {});
  server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [step, xs] of Object.entries(times)) {
  console.log(`${step.padEnd(7)} ${String(median(xs)).padStart(6)} ms  (${xs.join(', ')})  ${notes[step] || ''}`);
}
if (fs.existsSync(path.join(artifacts, 'page_load.png'))) console.log(`screenshot: ${path.join(artifacts, 'page_load.png')}`);
process.exit(failures ? 1 : 0);
