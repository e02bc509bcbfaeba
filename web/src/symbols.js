// How events look: the shape says the type's family, the colour the acting side, the
// size the independent sources. The families and types are ../shared/spec/ontology.md's.
import { symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar,
  symbolTriangle, symbolWye } from 'd3-shape';
import { scaleSqrt } from 'd3-scale';

// The ontology as the server gives it (/api/ontology, from the binary's own types):
// FAMILIES [[family, [type, ...]], ...], SIDES and STATUSES. Set once by setOntology
// before anything is drawn.
export let FAMILIES = [];
export let SIDES = [];
export let STATUSES = [];
let FAMILY_OF = new Map();
export function setOntology(ontology) {
  FAMILIES = ontology.families.map((f) => [f.name, [...f.types]]);
  SIDES = [...ontology.sides];
  STATUSES = [...ontology.statuses];
  FAMILY_OF = new Map(FAMILIES.flatMap(([f, types]) => types.map((t) => [t, f])));
}
export function familyOf(type) { return FAMILY_OF.get(type) || 'other'; }

const SHAPES = { territory: symbolTriangle, combat: symbolCircle, remote: symbolDiamond,
  civilians: symbolCross, losses: symbolWye, other: symbolStar };
export function shapeOf(family) { return SHAPES[family] || symbolStar; }

export const SIDE_LABELS = { RU: 'Russia', UA: 'Ukraine', OTHER: 'other', UNKNOWN: 'unknown' };
const SIDE_COLOURS = { RU: '#c62828', UA: '#1565c0', OTHER: '#7b3fa0', UNKNOWN: '#7a7a7a' };
export function sideColour(side) { return SIDE_COLOURS[side] || SIDE_COLOURS.UNKNOWN; }


// Radius in pixels of an event with n independent sources.
export const sourceRadius = scaleSqrt().domain([1, 12]).range([4, 11]).clamp(true);

// The SVG path of a symbol of the given family and radius, centred on 0,0.
const paths = new Map();
export function symbolPath(family, radius) {
  const key = family + ':' + radius.toFixed(2);
  let d = paths.get(key);
  if (!d) {
    // d3 sizes symbols by area; the triangle, cross and wye look smaller at equal area.
    const boost = family === 'combat' ? 1 : family === 'remote' ? 1.1 : 1.35;
    d = symbol(shapeOf(family), Math.PI * radius * radius * boost)();
    paths.set(key, d);
  }
  return d;
}

export function label(s) { return String(s).replace(/_/g, ' '); }
