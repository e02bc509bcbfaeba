// The JSON API of `sitrep serve` (docs/api.md).
export async function getJson(path, params) {
  const query = params ? new URLSearchParams(params).toString() : '';
  const url = query ? `${path}?${query}` : path;
  const response = await fetch(url);
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new Error(`${url}: ${response.status}, not JSON`);
  }
  if (!response.ok) throw new Error(`${url}: ${response.status} ${body && body.error ? body.error : ''}`);
  return body;
}

// The API's filter parameters from the page's filter state. A set holding every
// choice is no filter; null means nothing can match (every box unticked).
export function filterParams(state, { dates = true } = {}) {
  const p = {};
  for (const [name, chosen, all] of [['type', state.types, state.allTypes],
    ['side', state.sides, state.allSides], ['status', state.statuses, state.allStatuses]]) {
    if (chosen.size === 0) return null;
    if (chosen.size < all.length) p[name] = [...chosen].sort().join(',');
  }
  if (state.minSources > 1) p.min_sources = String(state.minSources);
  if (dates && state.range) {
    p.from = state.range[0];
    p.to = state.range[1];
  }
  return p;
}
