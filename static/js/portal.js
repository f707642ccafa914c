// Progressive enhancement only: every page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
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
