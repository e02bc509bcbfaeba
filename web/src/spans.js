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

// Cuts text into runs by the marks over it. marks: [{span: [byteBegin, byteEnd], cls}];
// returns [{text, classes: [..], begin}] covering the whole text in order, where classes
// are those of every mark covering the run (none for plain text). Empty or inverted
// spans are ignored.
export function segments(text, marks) {
  const at = byteIndex(text);
  const ranges = [];
  for (const m of marks) {
    if (!m || !Array.isArray(m.span) || m.span.length !== 2) continue;
    const b = at(m.span[0]);
    const e = at(m.span[1]);
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

// The marks of one event (schema.md event record): evidence sentence, trigger, places,
// date, numbers, claimant and actor, each with its own class.
export function eventMarks(event) {
  const marks = [];
  const push = (span, cls) => { if (Array.isArray(span)) marks.push({ span, cls }); };
  if (event.evidence) {
    push(event.evidence.span, 'evidence');
    push(event.evidence.trigger_span, 'trigger');
  }
  for (const loc of event.locations || []) push(loc.span, 'place');
  if (event.time) push(event.time.span, 'date');
  for (const q of event.quantities || []) push(q.span, 'number');
  if (event.source) push(event.source.span, 'claimant');
  if (event.actor) push(event.actor.span, 'actor');
  if (event.target) push(event.target.span, 'target');
  return marks;
}
