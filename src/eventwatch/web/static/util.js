// Small DOM and URL helpers shared by the desk's pages. Text goes in through textContent and
// attributes through setAttribute, never through innerHTML, so nothing from the data is parsed.

export const FILTERS = ["country", "admin1", "admin2", "actor", "actor_id", "place_id", "type",
  "sub_type", "since", "until", "bbox", "min_fatalities", "q"];

export const TYPE_COLOURS = {
  "Battles": "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd",
  "Protests": "#2ca02c",
  "Riots": "#8c564b",
  "Strategic developments": "#6b6b6b",
};

const SVG_NS = "http://www.w3.org/2000/svg";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  node.append(...children.filter((c) => c !== null && c !== undefined)
    .map((c) => (c instanceof Node ? c : String(c))));
  return node;
}

export function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
}

// The dashboard's filters, as in the page's URL (the one source of truth for the view).
export function filterParams(search = window.location.search) {
  const current = new URLSearchParams(search);
  const out = new URLSearchParams();
  for (const name of FILTERS) {
    const value = current.get(name);
    if (value) out.set(name, value);
  }
  return out;
}

export function withParams(path, params, extra = {}) {
  const query = new URLSearchParams(params);
  for (const [name, value] of Object.entries(extra)) {
    if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export async function fetchJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return body;
}
