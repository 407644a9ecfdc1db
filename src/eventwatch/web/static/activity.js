// Actor and place pages: the events-over-time chart, from /api/stats for this actor or place.

import { fetchJSON } from "./util.js";
import { drawTimeline } from "./timeline.js";

const box = document.getElementById("activity");
if (box) {
  fetchJSON(box.dataset.stats)
    .then((stats) => drawTimeline(box, stats.series, "month", null))
    .finally(() => { document.body.dataset.ready = "true"; });
} else {
  document.body.dataset.ready = "true";
}
