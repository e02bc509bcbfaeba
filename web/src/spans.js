// The API's spans are [begin, end) UTF-8 byte offsets into a document's text; the page
// works in JavaScript string (UTF-16) indices. byteIndex(text) maps the one onto the other.

// Returns a function from a UTF-8 byte offset to the UTF-16 index of the character it
// falls in (an offset inside a character counts as that character's start; offsets past
// the end give the text's length).
export function byteIndex(text) {
  const bytes = new TextEncoder().encode(text);
  const index = new Uint32Array(bytes.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let n;
    if (c < 0x80) n = 1;
    else if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
             (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) n = 4;
    else n = 3;  // a lone surrogate is encoded as U+FFFD, 3 bytes
    for (let k = 0; k < n; k++) index[b + k] = i;
    b += n;
    if (n === 4) i++;
  }
  if (b !== bytes.length) throw new Error(`byteIndex: ${b} bytes counted, ${bytes.length} encoded`);
  index[bytes.length] = text.length;
  return (offset) => index[Math.max(0, Math.min(bytes.length, offset | 0))];
}

// Cuts text into runs by the marks over it. marks: [{span: [byteBegin, byteEnd], cls}]
// or [{chars: [begin, end], cls}] (string indices);
// returns [{text, classes: [..], begin}] covering the whole text in order, where classes
// are those of every mark covering the run (none for plain text). Empty or inverted
// spans are ignored.
export function segments(text, marks) {
  const at = byteIndex(text);
  const ranges = [];
  for (const m of marks) {
    let b;
    let e;
    if (m && Array.isArray(m.span) && m.span.length === 2) {
      b = at(m.span[0]);
      e = at(m.span[1]);
    } else if (m && Array.isArray(m.chars) && m.chars.length === 2) {
      [b, e] = m.chars;
    } else {
      continue;
    }
    if (e > b) ranges.push({ b, e, cls: m.cls });
  }
  const cuts = new Set([0, text.length]);
  for (const r of ranges) { cuts.add(r.b); cuts.add(r.e); }
  const points = [...cuts].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const b = points[i];
    const e = points[i + 1];
    const classes = [];
    for (const r of ranges) if (r.b <= b && r.e >= e && !classes.includes(r.cls)) classes.push(r.cls);
    out.push({ text: text.slice(b, e), classes, begin: b });
  }
  return out;
}

// The marks of one event (schema.md event record) in its document's text: evidence
// sentence, trigger, places, date, numbers, claimant, actor and target, each with its own
// class. A claimant without a span is found by its words in the evidence sentence.
export function eventMarks(event, text) {
  const marks = [];
  const push = (span, cls) => { if (Array.isArray(span)) marks.push({ span, cls }); };
  if (event.evidence) {
    push(event.evidence.span, 'evidence');
    push(event.evidence.trigger_span, 'trigger');
  }
  for (const loc of event.locations || []) push(loc.span, 'place');
  if (event.time) push(event.time.span, 'date');
  for (const q of event.quantities || []) push(q.span, 'number');
  const source = event.source;
  if (source && Array.isArray(source.span)) {
    push(source.span, 'claimant');
  } else if (source && source.text && text && event.evidence && Array.isArray(event.evidence.span)) {
    const at = byteIndex(text);
    const b = at(event.evidence.span[0]);
    const e = at(event.evidence.span[1]);
    const i = text.slice(b, e).indexOf(source.text);
    if (i >= 0) marks.push({ chars: [b + i, b + i + source.text.length], cls: 'claimant' });
  }
  if (event.actor) push(event.actor.span, 'actor');
  if (event.target) push(event.target.span, 'target');
  return marks;
}
