// Ring orientation for d3-geo. d3-geo reads polygons on the sphere and wants exterior
// rings clockwise (holes anticlockwise); GeoJSON files written to RFC 7946, as this Natural
// Earth extract is, wind them the other way, which d3 takes for "the whole globe but this
// oblast". The file is kept as published; the page turns its rings at load.

// Twice the signed planar area of a ring in lon/lat (positive: anticlockwise).
function signedArea(ring) {
  let a = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return a;
}

function orient(rings) {
  return rings.map((ring, i) => {
    const anticlockwise = signedArea(ring) > 0;
    const wantAnticlockwise = i > 0;  // holes
    return anticlockwise === wantAnticlockwise ? ring : ring.slice().reverse();
  });
}

export function rewindForD3(geojson) {
  for (const f of geojson.features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === 'Polygon') g.coordinates = orient(g.coordinates);
    else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map(orient);
  }
  return geojson;
}
