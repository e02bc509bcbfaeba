// The evidence panel: an event's record, its cluster, and the article it comes from with
// the words that make the event highlighted (trigger, places, date, numbers, claimant,
// actor, target, and the evidence sentence).
import { getJson } from './api.js';
import { segments, eventMarks } from './spans.js';
import { sideColour, symbolPath, familyOf, label } from './symbols.js';

const MARK_LEGEND = [
  ['trigger', 'trigger'], ['place', 'place'], ['date', 'date'], ['number', 'number'],
  ['claimant', 'claimant'], ['actor', 'actor'], ['target', 'target'], ['evidence', 'evidence sentence'],
];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'onclick') node.addEventListener('click', v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function glyph(type, side, size = 14) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('viewBox', `${-size / 2} ${-size / 2} ${size} ${size}`);
  svg.setAttribute('class', 'glyph');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', symbolPath(familyOf(type), size / 2 - 1.5));
  p.setAttribute('fill', sideColour(side));
  svg.append(p);
  return svg;
}

function formatNumber(q) {
  const n = typeof q.value === 'number' ? q.value.toLocaleString('en') : q.value;
  return [q.approx ? '≈' : '', n, ' ', label(q.unit || ''), q.what ? ` ${q.what}` : '',
    q.side && q.side !== 'UNKNOWN' ? ` (${q.side})` : ''].join('');
}

export class EvidencePanel {
  constructor(root, emptyNote, { onSelect }) {
    this.root = root;
    this.emptyNote = emptyNote;
    this.onSelect = onSelect;
    this.documents = new Map();
    this.token = 0;
  }

  clear() {
    this.root.hidden = true;
    this.emptyNote.hidden = false;
    delete this.root.dataset.eventId;
  }

  // A list of events (rows of /api/events) to choose from: those stacked at one point.
  showList(title, events) {
    this.token++;
    const sorted = events.slice().sort((a, b) => (a.date || '9999').localeCompare(b.date || '9999') ||
      (a.id < b.id ? -1 : 1));
    const list = el('ul', { class: 'event-list' }, sorted.map((e) => el('li', {},
      el('a', { href: '#', dataset: { id: e.id }, onclick: (ev) => { ev.preventDefault(); this.onSelect(e.id); } },
        glyph(e.type, e.side, 12), ' ',
        el('span', { class: 'when' }, e.date || 'undated'), ' ', label(e.type), ' ',
        el('span', { class: `badge side side-${e.side}` }, e.side), ' ',
        el('span', { class: 'muted' }, `${e.status} · ${e.source_name || e.outlet || ''}`)))));
    this.root.replaceChildren(el('h2', {}, title),
      el('p', { class: 'muted' }, 'They share one point on the map. Choose one to read its evidence.'), list);
    delete this.root.dataset.eventId;
    this.root.dataset.state = 'list';
    this.root.hidden = false;
    this.emptyNote.hidden = true;
  }

  async show(eventId) {
    const token = ++this.token;
    this.root.dataset.state = 'loading';
    try {
      const event = await getJson(`/api/events/${encodeURIComponent(eventId)}`);
      let doc = this.documents.get(event.doc_id);
      if (!doc) {
        doc = await getJson(`/api/documents/${encodeURIComponent(event.doc_id)}`);
        this.documents.set(event.doc_id, doc);
        if (this.documents.size > 20) this.documents.delete(this.documents.keys().next().value);
      }
      const cluster = event.cluster_id
        ? await getJson(`/api/clusters/${encodeURIComponent(event.cluster_id)}`).catch(() => null)
        : null;
      if (token !== this.token) return;
      this.render(event, doc, cluster);
      this.root.dataset.state = 'ready';
    } catch (err) {
      if (token !== this.token) return;
      this.root.replaceChildren(el('p', { class: 'error' }, `Could not load ${eventId}: ${err.message}`));
      this.root.hidden = false;
      this.emptyNote.hidden = true;
      this.root.dataset.state = 'error';
    }
  }

  render(event, doc, cluster) {
    const r = this.root;
    r.dataset.eventId = event.id;
    const time = event.time || {};
    const when = time.value ? (time.end && time.end !== time.value ? `${time.value} – ${time.end}` : time.value)
      : 'undated';
    const places = (event.locations || []).map((l) =>
      `${l.name || l.text}${l.role && l.role !== 'at' ? ` (${l.role})` : ''}${l.admin1 && l.admin1 !== l.name ? `, ${l.admin1}` : ''}` +
      (l.inferred ? ' — inferred' : ''));
    const src = event.source;
    const claimant = src
      ? `${src.name || src.text}${src.kind ? ` (${src.kind}` + (src.side ? `, ${src.side})` : ')') : ''}` +
        (src.via && src.via.length ? `, via ${src.via.map((v) => v.name || v.text || v).join(', ')}` : '')
      : `the article itself (${doc.outlet || 'unknown outlet'})`;
    const actor = event.actor ? `${event.actor.name || event.actor.text} (${event.actor.side})` : '—';
    const target = event.target ? `${event.target.name || event.target.text || ''} (${[event.target.side, event.target.category].filter(Boolean).join(', ')})` : null;
    const numbers = (event.quantities || []).map(formatNumber);

    const facts = el('dl', { class: 'facts' },
      el('dt', {}, 'date'), el('dd', { class: 'f-date' }, when, time.precision ? ` (${time.precision}, ${time.basis})` : ''),
      el('dt', {}, 'place'), el('dd', { class: 'f-place' }, places.length ? places.join('; ') : '—'),
      el('dt', {}, 'actor'), el('dd', {}, actor),
      target && [el('dt', {}, 'target'), el('dd', {}, target)],
      el('dt', {}, 'claimant'), el('dd', { class: 'f-claimant' }, claimant),
      numbers.length > 0 && [el('dt', {}, 'numbers'), el('dd', {}, numbers.join('; '))],
      el('dt', {}, 'confidence'), el('dd', {}, event.confidence != null ? event.confidence.toFixed(2) : '—'),
      el('dt', {}, 'cluster'), el('dd', { class: 'f-cluster' }, this.clusterLine(event, cluster)));

    const head = el('div', { class: 'ev-head' },
      glyph(event.type, event.actor ? event.actor.side : event.side, 18),
      el('h2', {}, label(event.type)),
      el('span', { class: `badge side side-${event.side || (event.actor && event.actor.side)}` },
        event.side || (event.actor && event.actor.side) || 'UNKNOWN'),
      el('span', { class: `badge status status-${event.status}`, title: 'how sure the text is' }, event.status),
      event.negated && el('span', { class: 'badge negated' }, 'did not happen'));

    const members = cluster && Array.isArray(cluster.events) && cluster.events.length > 1
      ? el('details', { class: 'members' },
        el('summary', {}, `${cluster.events.length} reports in this cluster`),
        el('ul', {}, cluster.events.slice(0, 50).map((m) => el('li', {},
          el('a', { href: '#', class: m.id === event.id ? 'current' : null,
            onclick: (e) => { e.preventDefault(); this.onSelect(m.id); } },
          `${m.date || 'undated'} · ${label(m.type)} · ${m.source_name || m.outlet || m.doc_id}`)))))
      : null;

    const legend = el('div', { class: 'hl-legend' }, MARK_LEGEND.map(([cls, text]) =>
      el('span', { class: `hl hl-${cls}` }, text)));

    const article = el('div', { class: 'article-text', tabindex: '0' });
    const segs = segments(doc.text || '', eventMarks(event, doc.text || ''));
    for (const s of segs) {
      if (!s.classes.length) { article.append(s.text); continue; }
      article.append(el('mark', { class: s.classes.map((c) => `hl hl-${c}`).join(' ') }, s.text));
    }

    const others = (doc.events || []).filter((e) => e.id !== event.id);
    const otherList = others.length
      ? el('details', { class: 'others' },
        el('summary', {}, `${others.length} other event${others.length > 1 ? 's' : ''} in this article`),
        el('ul', {}, others.map((o) => el('li', {},
          el('a', { href: '#', onclick: (e) => { e.preventDefault(); this.onSelect(o.id); } },
            glyph(o.type, o.actor ? o.actor.side : 'UNKNOWN', 11), ' ',
            `${label(o.type)} — “${o.evidence ? o.evidence.trigger : ''}” ${o.time && o.time.value ? o.time.value : ''}`)))))
      : null;

    const published = doc.published || (doc.document && doc.document.published && doc.document.published.value);
    const meta = el('div', { class: 'doc-meta muted' },
      [doc.outlet, published ? `published ${published}` : 'publication date unknown',
        doc.credibility_score != null ? `credibility ${Number(doc.credibility_score).toFixed(2)}` : null]
        .filter(Boolean).join(' · '),
      doc.url ? [' · ', el('a', { href: doc.url, rel: 'noreferrer noopener', target: '_blank' }, 'original')] : null);

    r.replaceChildren(...[head, facts, members,
      el('h3', { class: 'doc-title' }, doc.title || doc.doc_id), meta, legend, article, otherList].filter(Boolean));
    r.hidden = false;
    this.emptyNote.hidden = true;
    const trigger = article.querySelector('mark.hl-trigger') || article.querySelector('mark.hl-evidence');
    if (trigger) {
      // Bring the trigger to the middle of the article's scroll box.
      article.scrollTop = Math.max(0, trigger.offsetTop - article.offsetTop - article.clientHeight / 3);
    }
  }

  clusterLine(event, cluster) {
    if (!event.cluster_id) return 'none (a single report)';
    const n = event.independent_sources || (cluster && cluster.independent_sources) || 1;
    const parts = [`${n} independent source${n > 1 ? 's' : ''}`];
    if (cluster) {
      if (cluster.status) parts.push(`cluster ${cluster.status}`);
      if (Array.isArray(cluster.sources) && cluster.sources.length) parts.push(cluster.sources.slice(0, 6).join(', '));
      if (Array.isArray(cluster.contradicts) && cluster.contradicts.length) parts.push(`contradicts ${cluster.contradicts.length}`);
    }
    return el('span', {}, el('code', {}, event.cluster_id), ' — ', parts.join(' · '));
  }
}
