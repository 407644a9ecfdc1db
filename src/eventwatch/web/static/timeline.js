// Timeline: bars for events per period, a line for fatalities (own scale, right axis).
// Missing periods are filled with zeros so the time axis is even; a click on a bar filters the
// dashboard to that period.

import { svg } from "./util.js";

const W = 640; const H = 220; const PAD = { left: 36, right: 40, top: 12, bottom: 28 };
const MAX_FILLED = 400;

function nextPeriod(period, interval) {
  if (interval === "month") {
    let [y, m] = period.split("-").map(Number);
    m += 1; if (m > 12) { m = 1; y += 1; }
    return `${y}-${String(m).padStart(2, "0")}`;
  }
  const d = new Date(`${period}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + (interval === "week" ? 7 : 1));
  return d.toISOString().slice(0, 10);
}

export function periodRange(period, interval) {
  if (interval === "month") {
    const [y, m] = period.split("-").map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return [`${period}-01`, `${period}-${String(last).padStart(2, "0")}`];
  }
  if (interval === "week") {
    const d = new Date(`${period}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 6);
    return [period, d.toISOString().slice(0, 10)];
  }
  return [period, period];
}

function filled(series, interval) {
  if (series.length < 2) return series;
  const byPeriod = new Map(series.map((s) => [s.period, s]));
  const out = [];
  let period = series[0].period;
  const last = series[series.length - 1].period;
  while (period <= last && out.length < MAX_FILLED) {
    out.push(byPeriod.get(period) || { period, events: 0, fatalities: 0 });
    period = nextPeriod(period, interval);
  }
  return out.length < MAX_FILLED ? out : series;
}

export function drawTimeline(container, series, interval, onPick) {
  const data = filled(series, interval);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "timeline-svg", role: "img",
    "aria-label": "events and fatalities over time" });
  if (!data.length) {
    const empty = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" });
    empty.textContent = "no dated events";
    root.append(empty);
    container.replaceChildren(root);
    return;
  }
  const maxEvents = Math.max(1, ...data.map((d) => d.events));
  const maxKilled = Math.max(1, ...data.map((d) => d.fatalities));
  const innerW = W - PAD.left - PAD.right; const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / data.length;
  const y = (value, max) => PAD.top + innerH - (value / max) * innerH;
  const bars = svg("g", { class: "bars" });
  const points = [];
  data.forEach((d, i) => {
    const x = PAD.left + i * step;
    const bar = svg("rect", { x: x + step * 0.1, width: Math.max(step * 0.8, 0.5),
      y: y(d.events, maxEvents), height: PAD.top + innerH - y(d.events, maxEvents),
      class: "bar", "data-period": d.period, "data-events": d.events });
    const title = svg("title");
    title.textContent = `${d.period}: ${d.events} events, ${d.fatalities} fatalities`;
    bar.append(title);
    if (onPick) bar.addEventListener("click", () => onPick(periodRange(d.period, interval)));
    bars.append(bar);
    points.push(`${x + step / 2},${y(d.fatalities, maxKilled)}`);
  });
  const line = svg("polyline", { points: points.join(" "), class: "fatalities-line" });
  const label = (x, yy, text, cls, anchor = "start") => {
    const t = svg("text", { x, y: yy, class: cls, "text-anchor": anchor });
    t.textContent = text;
    return t;
  };
  root.append(
    svg("line", { x1: PAD.left, x2: W - PAD.right, y1: PAD.top + innerH, y2: PAD.top + innerH,
      class: "axis" }),
    bars, line,
    label(PAD.left - 4, PAD.top + 8, String(maxEvents), "tick events-tick", "end"),
    label(W - PAD.right + 4, PAD.top + 8, String(maxKilled), "tick fatalities-tick"),
    label(PAD.left, H - 8, data[0].period, "tick"),
    label(W - PAD.right, H - 8, data[data.length - 1].period, "tick", "end"),
    label(W / 2, H - 8, "bars: events · line: fatalities", "tick legend-text", "middle"),
  );
  container.replaceChildren(root);
}
