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

// The measure form's categories: only those of the chosen theme area (actionplans/forms.py
// CategorySelect). Without JavaScript the select lists them all, grouped by theme area, and the
// form refuses a category of another theme.
function filterCategoriesByTheme() {
  for (const select of document.querySelectorAll("select[data-theme-from]")) {
    const theme = document.getElementById(select.dataset.themeFrom);
    if (!theme || select.dataset.enhanced) continue;
    select.dataset.enhanced = "yes";
    const groups = Array.from(select.querySelectorAll("optgroup"), (group) => group.cloneNode(true));
    const show = () => {
      const chosen = select.value;
      for (const group of select.querySelectorAll("optgroup")) group.remove();
      for (const group of groups) {
        const first = group.querySelector("option[data-theme]");
        if (!theme.value || (first && first.dataset.theme === theme.value)) select.append(group.cloneNode(true));
      }
      // A category of another theme is not kept: the empty choice ("No category") is.
      select.value = chosen;
      if (select.value !== chosen) select.value = "";
    };
    theme.addEventListener("change", show);
    show();
  }
}

document.addEventListener("DOMContentLoaded", filterCategoriesByTheme);

// Meetings (minutes editor, calendar page).
// A formset's "Add …" button (data-add-row="<prefix>") is a submit button that,
// without JavaScript, sends the form back with one more row and saves nothing.
// Here it copies the formset's empty row from <template id="<prefix>-empty">
// instead, counts it in <prefix>-TOTAL_FORMS and moves the focus into it.
function enhanceFormsetRows() {
  for (const button of document.querySelectorAll("button[data-add-row]")) {
    const prefix = button.dataset.addRow;
    const template = document.getElementById(`${prefix}-empty`);
    const rows = document.getElementById(`${prefix}-rows`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    if (!template || !rows || !total) continue;
    const full = () => max && Number(total.value) >= Number(max.value);
    button.addEventListener("click", (event) => {
      event.preventDefault();
      if (full()) return;
      const index = Number(total.value);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
      total.value = String(index + 1);
      const field = rows.lastElementChild.querySelector("textarea, select, input:not([type=hidden])");
      if (field) field.focus();
      if (full()) button.hidden = true;
    });
  }
}

// A copy button (data-copy="<id of a read-only input>") is shown only where the
// clipboard can be written; the input itself can always be selected by hand.
function enhanceCopyButtons() {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const input = document.getElementById(button.dataset.copy);
    const status = document.getElementById(`${button.dataset.copy}-copied`);
    if (!input) continue;
    input.addEventListener("focus", () => input.select());
    if (!navigator.clipboard || !window.isSecureContext) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        if (status) status.textContent = button.dataset.copied;
      } catch {
        input.focus();
        if (status) status.textContent = button.dataset.copyFailed;
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  enhanceFormsetRows();
  enhanceCopyButtons();
});
