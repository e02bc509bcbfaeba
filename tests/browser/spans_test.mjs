// The page's conversion of the API's UTF-8 byte spans to string indices
// (web/src/spans.js), on text with 2-, 3- and 4-byte characters. Run by ctest (web_spans).
import assert from 'node:assert/strict';
import { byteIndex, segments, eventMarks } from '../../web/src/spans.js';

const enc = new TextEncoder();
// The byte span of the first occurrence of needle in text.
function span(text, needle) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const b = enc.encode(text.slice(0, i)).length;
  return [b, b + enc.encode(needle).length];
}

const text = 'Київ — “Russian forces” shelled Kupiansk 🚀 on 2 March, killing 3 near Ізюм, the governor said.';
const at = byteIndex(text);
assert.equal(at(0), 0);
assert.equal(at(enc.encode(text).length), text.length);
assert.equal(at(1_000_000), text.length, 'offsets past the end clamp');
for (const word of ['Київ', '—', 'Russian forces', 'shelled', 'Kupiansk', '🚀', '2 March', '3', 'Ізюм']) {
  const [b, e] = span(text, word);
  assert.equal(text.slice(at(b), at(e)), word, word);
}
// An offset inside a character is that character's start.
const [rb] = span(text, '🚀');
assert.equal(at(rb + 2), text.indexOf('🚀'));

const event = {
  evidence: { span: span(text, '“Russian forces” shelled Kupiansk 🚀 on 2 March, killing 3 near Ізюм, the governor said.'),
    trigger_span: span(text, 'shelled'), trigger: 'shelled' },
  locations: [{ span: span(text, 'Kupiansk') }, { span: span(text, 'Ізюм') }, { span: null }],
  time: { span: span(text, '2 March') },
  quantities: [{ span: span(text, '3') }],
  source: { text: 'the governor', name: 'regional governor' },  // no span: found in the sentence
  actor: { span: span(text, 'Russian forces') },
  target: null,
};
const segs = segments(text, eventMarks(event, text));
assert.equal(segs.map((s) => s.text).join(''), text, 'the runs cover the text');
const classed = (cls) => segs.filter((s) => s.classes.includes(cls)).map((s) => s.text).join('|');
assert.equal(classed('trigger'), 'shelled');
assert.equal(classed('place'), 'Kupiansk|Ізюм');
assert.equal(classed('date'), '2 March');
assert.equal(classed('number'), '3');
assert.equal(classed('actor'), 'Russian forces');
assert.equal(classed('claimant'), 'the governor');
event.source.span = span(text, 'governor');
assert.equal(segments(text, eventMarks(event, text)).filter((s) => s.classes.includes('claimant'))
  .map((s) => s.text).join(''), 'governor', 'a claimant span wins over the search');
assert.ok(segs.find((s) => s.text === 'shelled').classes.includes('evidence'), 'the trigger is in the sentence');
assert.equal(segs[0].classes.length, 0, 'text before the sentence is plain');
// Empty, inverted and missing spans are ignored.
assert.equal(segments('abc', [{ span: [2, 1], cls: 'x' }, { span: [1, 1], cls: 'y' }, { cls: 'z' }]).length, 1);
console.log('spans: ok');
