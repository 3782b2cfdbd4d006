// Progressive enhancement only: every page works without this file.
// It adds autocomplete to the search box, in-place filtering of the figures facet, a filter drawer that
// opens and closes without changing the address, and choosing a date range by dragging over the bars.
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;  // textContent: never parsed as HTML
  return node;
}

// "/" focuses the search box, as on most search sites.
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("q");
  if (event.key === "/" && box && document.activeElement !== box &&
      !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});

// Autocomplete: an ARIA combobox over /api/suggest.
function setUpSuggestions() {
  const box = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!box || !list) return;
  let items = [];
  let active = -1;

  const close = () => { list.hidden = true; box.setAttribute("aria-expanded", "false"); active = -1;
                        box.removeAttribute("aria-activedescendant"); };
  const choose = (item) => {
    if (item.kind === "figure") {
      const url = new URL(window.location.href);
      url.pathname = "/";
      url.searchParams.delete("page");
      if (!url.searchParams.getAll("figure").includes(item.text)) url.searchParams.append("figure", item.text);
      window.location.assign(url.toString());
    } else {
      box.value = item.text;
      box.form.submit();
    }
  };
  const highlight = (i) => {
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
    active = i;
    if (i >= 0) box.setAttribute("aria-activedescendant", list.children[i].id);
  };
  const render = (suggestions) => {
    list.replaceChildren();
    items = suggestions;
    suggestions.forEach((item, i) => {
      const li = el("li", { id: `suggestion-${i}`, role: "option", "aria-selected": "false",
                            class: `suggestion ${item.kind}` });
      li.append(el("span", { class: "text" }, item.text),
                el("span", { class: "kind" }, item.kind === "figure" ? "figure" : ""));
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(item); });
      list.append(li);
    });
    list.hidden = suggestions.length === 0;
    box.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    active = -1;
  };
  const fetchSuggestions = debounce(async () => {
    const text = box.value.trim();
    if (text.length < 2) { close(); return; }
    try {
      const response = await fetch(`${box.dataset.suggestUrl}?q=${encodeURIComponent(text)}`);
      if (!response.ok) return;
      const data = await response.json();
      if (box.value.trim() === text) render(data.suggestions || []);
    } catch (e) { close(); }
  }, 120);

  box.addEventListener("input", fetchSuggestions);
  box.addEventListener("blur", () => setTimeout(close, 100));
  box.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, -1)); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
  });
}

// The figures facet's search box filters the list in place through /api/facets/figures.
function setUpFacetSearch() {
  const input = document.getElementById("figure-prefix");
  if (!input) return;
  const update = debounce(async () => {
    const url = new URL(input.dataset.facetUrl, window.location.origin);
    url.searchParams.set("prefix", input.value.trim());
    try {
      const response = await fetch(url);
      if (!response.ok) return;
      const data = await response.json();
      const old = document.getElementById("figure-values");
      const list = el("ul", { class: "facet-values", id: "figure-values" });
      for (const v of data.values) {
        const a = el("a", { href: v.toggle_url.replace("/api/search", "/"),
                            class: `facet-value${v.selected ? " selected" : ""}` });
        if (v.selected) a.setAttribute("aria-current", "true");
        a.append(el("span", { class: "label" }, v.value), " ", el("span", { class: "count" }, v.count.toLocaleString()));
        const li = el("li");
        li.append(a);
        list.append(li);
      }
      if (!data.values.length) list.append(el("li", { class: "none" }, `No figure matches “${input.value.trim()}”.`));
      old.replaceWith(list);
      const more = document.querySelector(".show-more");
      if (more) more.hidden = true;
    } catch (e) { /* keep the server-rendered list */ }
  }, 150);
  input.addEventListener("input", update);
}

// Narrow screens: the "Filters" link opens the facets as a drawer (it works as a #filters link without
// this); here it is a button: aria-expanded, focus moves in and back, Escape and "Show results" close.
function setUpDrawer() {
  const button = document.querySelector(".filters-button");
  const drawer = document.getElementById("filters");
  if (!button || !drawer) return;
  button.setAttribute("role", "button");
  const close = drawer.querySelector(".drawer-close");
  const setOpen = (open) => {
    drawer.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    (open ? drawer : button).focus();
  };
  button.addEventListener("click", (event) => { event.preventDefault(); setOpen(true); });
  button.addEventListener("keydown", (event) => {
    if (event.key === " ") { event.preventDefault(); setOpen(true); }
  });
  if (close) close.addEventListener("click", (event) => { event.preventDefault(); setOpen(false); });
  drawer.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && drawer.classList.contains("open")) setOpen(false);
  });
}

// The date histogram: press on a bar and drag to another to choose the range they span (each bar is
// also a plain link that works without this).
function setUpDateBrushes() {
  const form = document.querySelector(".range-form");
  if (form) document.querySelectorAll(".histogram").forEach((histogram) => setUpDateBrush(histogram, form));
}

function setUpDateBrush(histogram, form) {
  const bars = [...histogram.querySelectorAll("a.bar")];
  let first = null;
  let moved = false;
  const barAt = (event) => {
    const target = document.elementFromPoint(event.clientX, event.clientY);
    return target ? target.closest("a.bar") : null;
  };
  const span = (a, b) => {
    const i = bars.indexOf(a), j = bars.indexOf(b);
    return bars.slice(Math.min(i, j), Math.max(i, j) + 1);
  };
  const mark = (chosen) => bars.forEach((bar) => bar.classList.toggle("brushed", chosen.includes(bar)));
  histogram.addEventListener("pointerdown", (event) => {
    first = barAt(event);
    moved = false;
    if (first) { histogram.classList.add("brushing"); mark([first]); }
  });
  histogram.addEventListener("pointermove", (event) => {
    const bar = first && barAt(event);
    if (bar && bar !== first) { moved = true; mark(span(first, bar)); }
  });
  const finish = (event) => {
    if (!first) return;
    const last = barAt(event) || first;
    const chosen = span(first, last);
    histogram.classList.remove("brushing");
    first = null;
    if (!moved) { mark([]); return; }  // a plain click: the bar's own link
    event.preventDefault();
    form.elements.from.value = chosen[0].dataset.start;
    form.elements.to.value = chosen[chosen.length - 1].dataset.end;
    form.requestSubmit();
  };
  histogram.addEventListener("pointerup", finish);
  histogram.addEventListener("click", (event) => { if (moved) event.preventDefault(); });
  histogram.addEventListener("dragstart", (event) => event.preventDefault());
}

setUpSuggestions();
setUpFacetSearch();
setUpDrawer();
setUpDateBrushes();
