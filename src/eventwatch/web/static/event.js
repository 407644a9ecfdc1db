// The event page: "show" scrolls to a value's evidence in the article text and flashes it.

for (const button of document.querySelectorAll("button.show")) {
  const field = button.dataset.field;
  const marks = document.querySelectorAll(`mark.hl-${field}`);
  if (!marks.length) {
    button.disabled = true;
    button.textContent = "no span";
    continue;
  }
  button.addEventListener("click", () => {
    marks[0].scrollIntoView({ behavior: "smooth", block: "center" });
    for (const mark of marks) {
      mark.classList.remove("flash");
      void mark.offsetWidth; // restart the animation
      mark.classList.add("flash");
    }
  });
}
for (const row of document.querySelectorAll("#values tr[data-field]")) {
  const marks = document.querySelectorAll(`mark.hl-${row.dataset.field}`);
  row.addEventListener("mouseenter", () => marks.forEach((m) => m.classList.add("focus")));
  row.addEventListener("mouseleave", () => marks.forEach((m) => m.classList.remove("focus")));
}
document.body.dataset.ready = "true";
