// The offline map: country outlines (Natural Earth, from the world-atlas package) and event
// markers on an equirectangular SVG. Marker area grows with fatalities, colour shows the event
// type; events closer than CELL_PX pixels on screen are drawn as one cluster, so clusters split
// as the user zooms in. Pan with the mouse, zoom with the wheel or the buttons.

import { svg, el, TYPE_COLOURS } from "./util.js";

const CELL_PX = 36;
const MAX_ZOOM = 400;

function radiusPx(fatalities) {
  if (fatalities === null || fatalities === undefined) return 4;
  return Math.min(4 + 2.2 * Math.sqrt(fatalities), 28);
}

export class EventMap {
  constructor(container, { onOpen, onCluster } = {}) {
    this.container = container;
    this.onOpen = onOpen || ((id) => { window.location.href = `/events/${encodeURIComponent(id)}`; });
    this.onCluster = onCluster;
    this.features = [];
    this.root = svg("svg", { class: "map-svg", role: "img", "aria-label": "map of events" });
    this.outlines = svg("g", { class: "outlines" });
    this.markers = svg("g", { class: "markers" });
    this.root.append(this.outlines, this.markers);
    const zoomIn = el("button", { type: "button", class: "zoom-in", title: "zoom in" }, "+");
    const zoomOut = el("button", { type: "button", class: "zoom-out", title: "zoom out" }, "−");
    const fit = el("button", { type: "button", class: "zoom-fit", title: "fit events" }, "⤢");
    zoomIn.addEventListener("click", () => this.zoomBy(2));
    zoomOut.addEventListener("click", () => this.zoomBy(0.5));
    fit.addEventListener("click", () => this.fit());
    container.append(this.root, el("div", { class: "map-controls" }, zoomIn, zoomOut, fit));
    this.bindPanZoom();
    this.setView(this.aspect({ x: -180, y: -90, w: 360, h: 180 }));
  }

  setOutlines(countries) {
    const paths = [];
    for (const country of countries) {
      const d = country.rings.map((ring) =>
        "M" + ring.map(([lon, lat]) => `${lon},${-lat}`).join("L") + "Z").join("");
      const path = svg("path", { d, class: "country" });
      const title = svg("title");
      title.textContent = country.name || "";
      path.append(title);
      paths.push(path);
    }
    this.outlines.replaceChildren(...paths);
  }

  setEvents(features) {
    this.features = features.filter((f) => f.geometry && f.geometry.type === "Point");
    this.fit();
  }

  fit() {
    if (!this.features.length) {
      this.setView({ x: -180, y: -90, w: 360, h: 180 });
      return;
    }
    let [west, east, south, north] = [180, -180, 90, -90];
    for (const f of this.features) {
      const [lon, lat] = f.geometry.coordinates;
      west = Math.min(west, lon); east = Math.max(east, lon);
      south = Math.min(south, lat); north = Math.max(north, lat);
    }
    const pad = Math.max(4, (east - west) * 0.15, (north - south) * 0.15);
    this.setView(this.aspect({ x: west - pad, y: -north - pad,
      w: east - west + 2 * pad, h: north - south + 2 * pad }));
  }

  // Widen the view to the element's aspect ratio so degrees are square.
  aspect(view) {
    const box = this.root.getBoundingClientRect();
    const ratio = box.width && box.height ? box.width / box.height : 2;
    if (view.w / view.h < ratio) {
      const w = view.h * ratio;
      return { x: view.x - (w - view.w) / 2, y: view.y, w, h: view.h };
    }
    const h = view.w / ratio;
    return { x: view.x, y: view.y - (h - view.h) / 2, w: view.w, h };
  }

  setView(view) {
    const minW = 360 / MAX_ZOOM;
    if (view.w < minW) {
      const scale = minW / view.w;
      view = { x: view.x + view.w / 2 * (1 - scale), y: view.y + view.h / 2 * (1 - scale),
        w: minW, h: view.h * scale };
    }
    if (view.w > 720) {
      view = this.aspect({ x: -360, y: -180, w: 720, h: 360 });
    }
    this.view = view;
    this.root.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    this.drawMarkers();
  }

  // Bounding box of the visible area: west,south,east,north (clamped to the world).
  bbox() {
    const v = this.view;
    const clamp = (value, low, high) => Math.min(high, Math.max(low, value));
    const round = (value) => Math.round(value * 1000) / 1000;
    return [clamp(v.x, -180, 180), clamp(-(v.y + v.h), -90, 90),
      clamp(v.x + v.w, -180, 180), clamp(-v.y, -90, 90)].map(round).join(",");
  }

  zoomBy(factor, cx = null, cy = null) {
    const v = this.view;
    const x = cx === null ? v.x + v.w / 2 : cx;
    const y = cy === null ? v.y + v.h / 2 : cy;
    this.setView({ x: x - (x - v.x) / factor, y: y - (y - v.y) / factor,
      w: v.w / factor, h: v.h / factor });
  }

  pxPerDegree() {
    const box = this.root.getBoundingClientRect();
    return (box.width || 720) / this.view.w;
  }

  bindPanZoom() {
    let drag = null;
    this.root.addEventListener("wheel", (event) => {
      event.preventDefault();
      const [x, y] = this.toMap(event);
      this.zoomBy(event.deltaY < 0 ? 1.5 : 1 / 1.5, x, y);
    }, { passive: false });
    this.root.addEventListener("pointerdown", (event) => {
      if (event.target.closest(".marker")) return;
      drag = { x: event.clientX, y: event.clientY, view: { ...this.view } };
      this.root.setPointerCapture(event.pointerId);
    });
    this.root.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const scale = 1 / this.pxPerDegree();
      this.view = { ...drag.view, x: drag.view.x - (event.clientX - drag.x) * scale,
        y: drag.view.y - (event.clientY - drag.y) * scale };
      this.root.setAttribute("viewBox", `${this.view.x} ${this.view.y} ${this.view.w} ${this.view.h}`);
    });
    const end = () => { if (drag) { drag = null; this.drawMarkers(); } };
    this.root.addEventListener("pointerup", end);
    this.root.addEventListener("pointercancel", end);
  }

  toMap(event) {
    const box = this.root.getBoundingClientRect();
    return [this.view.x + (event.clientX - box.left) / box.width * this.view.w,
      this.view.y + (event.clientY - box.top) / box.height * this.view.h];
  }

  drawMarkers() {
    const perDeg = this.pxPerDegree();
    const cell = CELL_PX / perDeg;
    const groups = new Map();
    for (const f of this.features) {
      const [lon, lat] = f.geometry.coordinates;
      const key = `${Math.floor(lon / cell)}:${Math.floor(-lat / cell)}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(f);
    }
    const nodes = [];
    for (const members of groups.values()) {
      nodes.push(members.length === 1 ? this.marker(members[0], perDeg)
        : this.cluster(members, perDeg));
    }
    this.markers.replaceChildren(...nodes);
  }

  marker(feature, perDeg) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const circle = svg("circle", { cx: lon, cy: -lat, r: radiusPx(p.fatalities) / perDeg,
      class: "marker event-marker", fill: TYPE_COLOURS[p.event_type] || "#333",
      "data-id": feature.id, "data-type": p.event_type, "data-fatalities": p.fatalities ?? "",
      tabindex: 0, role: "link" });
    const title = svg("title");
    const toll = p.fatalities === null || p.fatalities === undefined ? "toll unknown"
      : `${p.fatalities} killed`;
    title.textContent = `${p.event_date || "date unknown"} · ${p.event_type} · ${p.location || ""} · ${toll}`;
    circle.append(title);
    const open = () => this.onOpen(feature.id);
    circle.addEventListener("click", open);
    circle.addEventListener("keydown", (event) => { if (event.key === "Enter") open(); });
    return circle;
  }

  cluster(members, perDeg) {
    let lon = 0; let lat = 0; let killed = 0;
    for (const f of members) {
      lon += f.geometry.coordinates[0]; lat += f.geometry.coordinates[1];
      killed += f.properties.fatalities || 0;
    }
    lon /= members.length; lat /= members.length;
    const r = Math.min(10 + 3 * Math.log2(members.length), 26) / perDeg;
    const group = svg("g", { class: "marker cluster", "data-count": members.length, tabindex: 0 });
    const circle = svg("circle", { cx: lon, cy: -lat, r });
    const label = svg("text", { x: lon, y: -lat, "font-size": 11 / perDeg, dy: "0.35em",
      "text-anchor": "middle" });
    label.textContent = String(members.length);
    const title = svg("title");
    title.textContent = `${members.length} events, ${killed} killed — click to zoom in`;
    group.append(circle, label, title);
    group.addEventListener("click", () => {
      if (this.view.w <= 360 / MAX_ZOOM * 1.01 && this.onCluster) this.onCluster(this.bbox());
      else this.zoomBy(3, lon, -lat);
    });
    return group;
  }
}
