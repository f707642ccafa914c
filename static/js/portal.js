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
