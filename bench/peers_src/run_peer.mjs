// One peer over one JSON Lines corpus, for bench/peers.sh.
//   node bench/peers_src/run_peer.mjs PEERS_DIR wink|chrono CORPUS.jsonl
// PEERS_DIR is where bench/peers.sh installed the pinned packages (bench/peers/, git-ignored);
// they are loaded from there with createRequire, since this file lives outside it.
//
// Timing: the clock starts after Node has started and the library (and wink's English model)
// is loaded, and stops when the last line has been processed — start-up is EXCLUDED from
// `seconds` and reported apart as `startup_seconds` (ms since the process began, at the
// moment the clock starts). Inside the clock: reading the file line by line, JSON.parse of
// each line and the peer's work on its `text`, one thread:
//   wink:   nlp.readDoc(text) then doc.entities().out() (the entities' strings)
//   chrono: chrono.parse(text, refDate), refDate = the line's `published` (else Reuters'
//           `date`, else now) — what sitrep gets as the document date
// Prints one JSON object on stdout: tool, version, seconds, startup_seconds, documents,
// bytes_text (UTF-8 bytes of the text fields), found, and for the sanity check a breakdown
// of what was found (wink: entity types over the first 200 documents, untimed; both: a few
// examples).
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const [peersDir, tool, corpus] = process.argv.slice(2);
if (!peersDir || !['wink', 'chrono'].includes(tool) || !corpus) {
  process.stderr.write('usage: run_peer.mjs PEERS_DIR wink|chrono CORPUS.jsonl\n');
  process.exit(2);
}
const require = createRequire(join(resolve(peersDir), 'package.json'));
const versionOf = (name) =>
  JSON.parse(readFileSync(join(resolve(peersDir), 'node_modules', name, 'package.json'), 'utf8')).version;

let work; // (record) => number of things found
let version;
let winkSample = null;
if (tool === 'wink') {
  const winkNLP = require('wink-nlp');
  const model = require('wink-eng-lite-web-model');
  const nlp = winkNLP(model);
  version = `wink-nlp ${versionOf('wink-nlp')} + wink-eng-lite-web-model ${versionOf('wink-eng-lite-web-model')}`;
  work = (rec) => nlp.readDoc(rec.text).entities().out().length;
  winkSample = (text) => {
    const ents = nlp.readDoc(text).entities();
    return { types: ents.out(nlp.its.type), strings: ents.out() };
  };
} else {
  const chrono = require('chrono-node');
  version = `chrono-node ${versionOf('chrono-node')}`;
  const now = new Date();
  const refDate = (rec) => {
    const d = new Date(rec.published ?? rec.date ?? NaN);
    return Number.isNaN(d.getTime()) ? now : d;
  };
  work = (rec) => chrono.parse(rec.text, refDate(rec)).length;
}

const startup = performance.now() / 1000;
const t0 = performance.now();
let documents = 0;
let found = 0;
let bytesText = 0;
const lines = createInterface({ input: createReadStream(corpus), crlfDelay: Infinity });
for await (const line of lines) {
  if (!line) continue;
  const rec = JSON.parse(line);
  if (typeof rec.text !== 'string') continue;
  documents++;
  bytesText += Buffer.byteLength(rec.text);
  found += work(rec);
}
const seconds = (performance.now() - t0) / 1000;

// Untimed: what was found, so an empty run cannot pass for a fast one.
const sampleTexts = [];
const sampleLines = createInterface({ input: createReadStream(corpus), crlfDelay: Infinity });
for await (const line of sampleLines) {
  if (!line) continue;
  const rec = JSON.parse(line);
  if (typeof rec.text === 'string') sampleTexts.push(rec);
  if (sampleTexts.length >= 200) break;
}
const types = {};
const examples = [];
if (winkSample) {
  for (const rec of sampleTexts) {
    const { types: ts, strings } = winkSample(rec.text);
    for (const t of ts) types[t] = (types[t] ?? 0) + 1;
    for (const e of strings) if (examples.length < 5) examples.push(e);
  }
} else {
  const chrono = require('chrono-node');
  for (const rec of sampleTexts) {
    for (const r of chrono.parse(rec.text)) if (examples.length < 5) examples.push(r.text);
    if (examples.length >= 5) break;
  }
}

process.stdout.write(JSON.stringify({
  tool, version, seconds, startup_seconds: startup, documents, bytes_text: bytesText, found,
  sample_types: types, examples,
}) + '\n');
