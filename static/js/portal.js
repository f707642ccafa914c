// Progressive enhancement only: every page works without it.
"use strict";

// A table wider than the screen scrolls inside its box: the box then takes the
// focus, so that it can be scrolled with the keyboard, and is named by the
// table's caption (WCAG 2.1.1).
function markScrollingTables() {
  for (const box of document.querySelectorAll(".table-responsive")) {
    const scrolls = box.scrollWidth > box.clientWidth;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (caption && caption.textContent.trim()) box.setAttribute("aria-label", caption.textContent.trim());
    } else if (!scrolls && box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);

  // A form came back with errors: move focus to its summary so that screen
  // readers read it and keyboard users start from it.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    // A link in the summary focuses its field, not only scrolls to it.
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      const field = link && document.getElementById(link.hash.slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }
});

// A long list of checkboxes (lib/widgets.py CheckboxList) gets a filter box
// above it and scrolls in its own box; the checked options stay where they are.
const CHECKLIST_MIN = 8;

function enhanceChecklists() {
  const groups = new Map();
  for (const input of document.querySelectorAll("input[type=checkbox][data-checklist]")) {
    const option = input.closest(".form-check");
    if (!option || !option.parentElement) continue;
    const list = option.parentElement;
    if (!groups.has(list)) groups.set(list, input);
  }
  for (const [list, first] of groups) {
    const options = Array.from(list.querySelectorAll(":scope > .form-check"));
    if (options.length < CHECKLIST_MIN || list.dataset.enhanced) continue;
    list.dataset.enhanced = "yes";
    list.classList.add("checklist-options");
    list.id = list.id || `${first.id}-options`;
    const label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = `${first.id}-filter`;
    label.textContent = first.dataset.checklist;
    const filter = document.createElement("input");
    filter.type = "search";
    filter.id = `${first.id}-filter`;
    filter.className = "form-control form-control-sm mb-1 checklist-filter";
    filter.placeholder = first.dataset.checklist;
    filter.setAttribute("aria-controls", list.id);
    filter.autocomplete = "off";
    const count = document.createElement("span");
    count.className = "visually-hidden";
    count.setAttribute("aria-live", "polite");
    filter.addEventListener("input", () => {
      const words = filter.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const option of options) {
        const text = option.textContent.toLocaleLowerCase();
        const match = words.every((word) => text.includes(word));
        option.hidden = !match;
        if (match) shown += 1;
      }
      count.textContent = `${shown} / ${options.length}`;
    });
    // Enter in the filter box must not send the form.
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    list.before(label, filter, count);
  }
}

document.addEventListener("DOMContentLoaded", enhanceChecklists);
