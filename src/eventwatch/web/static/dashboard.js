// The dashboard: map, timeline and table share the filters of the page's URL. Applying the
// filter form (or clicking a timeline bar, or "filter to view" on the map) changes the URL, so
// every view can be bookmarked and shared.

import { el, fetchJSON, filterParams, withParams, TYPE_COLOURS } from "./util.js";
import { EventMap } from "./map.js";
import { drawTimeline } from "./timeline.js";

const MAP_EVENTS_MAX = 5000;

function navigate(extra) {
  const params = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(extra)) {
    if (value === null || value === "") params.delete(name); else params.set(name, value);
  }
  window.location.search = params.toString();
}

function cell(text, cls) {
  return el("td", cls ? { class: cls } : {}, text);
}

function row(event) {
  const date = event.date.start || event.date.partial || "unknown";
  const place = [event.location.name, event.location.admin1, event.location.country]
    .filter(Boolean).join(", ") || "unknown";
  const actors = event.perpetrators.map((p) => p.name || p.text).join("; ");
  const link = el("a", { href: `/events/${encodeURIComponent(event.id)}` }, date);
  const swatch = el("span", { class: "dot" });
  swatch.style.backgroundColor = TYPE_COLOURS[event.event_type] || "#333";
  const type = el("td", {}, swatch, `${event.event_type} / ${event.sub_event_type}`);
  const toll = event.fatalities.best;
  return el("tr", { "data-id": event.id }, el("td", {}, link), type, cell(place), cell(actors),
    cell(toll === null ? "" : String(toll), "num"));
}

async function loadTable(filters, sort, pageSize) {
  const body = document.querySelector("#event-table tbody");
  const more = document.getElementById("more");
  let next = withParams("/api/events", filters, { sort, limit: pageSize });
  const load = async () => {
    const page = await fetchJSON(next);
    body.append(...page.events.map(row));
    if (!page.events.length && !body.children.length) {
      body.append(el("tr", {}, el("td", { colspan: 5 }, "No events match these filters.")));
    }
    next = page.next;
    more.hidden = !next;
  };
  more.addEventListener("click", () => load().catch(showError));
  await load();
}

function showError(error) {
  const summary = document.getElementById("summary");
  summary.replaceChildren(el("span", { class: "error" }, `Could not load: ${error.message}`));
}

function legend() {
  const list = document.getElementById("legend");
  for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
    const dot = el("span", { class: "dot" });
    dot.style.backgroundColor = colour;
    list.append(el("li", {}, dot, type));
  }
}

async function main() {
  const filters = filterParams();
  const query = new URLSearchParams(window.location.search);
  const sort = query.get("sort") || "-date";
  const mapBox = document.getElementById("map");
  const pageSize = Number(mapBox.dataset.pageSize) || 50;
  document.getElementById("csv").setAttribute("href",
    withParams("/api/events", filters, { format: "csv", sort }));
  legend();

  const map = new EventMap(mapBox, { onCluster: (bbox) => navigate({ bbox }) });
  document.getElementById("map-to-filter").addEventListener("click",
    () => navigate({ bbox: map.bbox() }));
  const outlines = fetchJSON("/static/desk/vendor/countries.json")
    .then((data) => map.setOutlines(data.countries))
    .catch(() => mapBox.classList.add("no-outlines"));
  const features = fetchJSON(withParams("/api/events", filters,
    { format: "geojson", limit: MAP_EVENTS_MAX, sort: "-fatalities" }))
    .then((data) => map.setEvents(data.features));

  const interval = document.getElementById("interval");
  interval.value = query.get("interval") || "month";
  const drawStats = async () => {
    const stats = await fetchJSON(withParams("/api/stats", filters, { interval: interval.value }));
    drawTimeline(document.getElementById("timeline"), stats.series, interval.value,
      ([since, until]) => navigate({ since, until }));
    return stats;
  };
  interval.addEventListener("change", () => drawStats().catch(showError));

  const [stats] = await Promise.all([drawStats(), loadTable(filters, sort, pageSize), outlines,
    features]);
  const summary = document.getElementById("summary");
  const active = [...filters.keys()].length;
  summary.replaceChildren(
    el("strong", {}, `${stats.totals.events} events`), " · ",
    el("strong", {}, `${stats.totals.fatalities} fatalities`),
    active ? ` matching ${active} filter${active > 1 ? "s" : ""}` : " in the database");
  document.body.dataset.ready = "true";
}

main().catch(showError);
