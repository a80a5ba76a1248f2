/*
 * Learning modes and the cheat sheet's print button. An ES module that site.js imports where a
 * `data-module="mode-picker"` or `"cheat-sheet"` element is, together with learning-modes.css.
 *
 * A mode is a list of `##` section ids (the picker's links carry them, from macros/render.py);
 * a section is an <h2> and its siblings up to the next one. Hiding happens only here, in the
 * browser: without JavaScript, and to search, the whole lesson is always on the page. The mode
 * lives in the address (?mode=) and in localStorage, per lesson. A fragment that names
 * something the mode hides switches to the smallest mode that shows it; an in-page link to it
 * is followed here, not by Material (see `follow`).
 */

import { h } from "./dom.js";

const KEY = "mlops-visual-patterns:v1:mode:";
const live = new Set(); // instant navigation replaces pickers
let said = ""; // Material re-renders the page on the first in-page link: repeat
let landed = ""; // the address `land` last focused something for: again after a re-render
const text = (el) => el.textContent.replace(/\u00b6$/, "").trim(); // minus the permalink

// `#%` and the like are not valid percent-encoding: then the fragment is the id as it is.
function decode(fragment) {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

// Storage may throw (disabled, full) or hold garbage: callers check.
function store(key, mode) {
  try {
    if (!mode) return localStorage.getItem(key);
    localStorage.setItem(key, mode);
  } catch {
    return null;
  }
}

export class ModePicker {
  constructor(root) {
    this.root = root;
    this.article = root.closest("article");
    this.key = KEY + root.dataset.lesson;
    this.modes = [...root.querySelectorAll("a[data-mode]")].map((link) => ({
      id: link.dataset.mode,
      link,
      label: text(link.querySelector(".mode-picker__label") || link),
      sections: link.dataset.modeSections.split(/\s+/).filter(Boolean)
    }));
    this.fallback = this.find(root.dataset.defaultMode) || this.modes[0];
    this.hid = new Set();
  }

  find(id) {
    return this.modes.find((mode) => mode.id === id);
  }

  init() {
    this.path = location.pathname;
    // The page keeps room for the hint (render.mode_picker), so filling it in moves nothing.
    this.hint = this.root.querySelector(".mode-picker__hint") || h("p", { className: "mode-picker__hint" });
    this.status = h("p", { className: "mode-picker__status visually-hidden", role: "status" });
    this.root.append(this.hint, this.status);
    // Still links: new tab, copy.
    for (const { id, link } of this.modes) link.href = `${location.pathname}?mode=${id}`;
    this.root.addEventListener("click", (e) => {
      const link = e.target.closest("a[data-mode]");
      if (!link || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      e.stopPropagation(); // or Material's instant navigation loads a new page
      this.select(this.find(link.dataset.mode), true);
      // From far down, back to the picker.
      if (this.root.getBoundingClientRect().top < 0) this.root.scrollIntoView();
    });
    // For other widgets: show this element.
    this.root.addEventListener("mode-picker:select", (e) => {
      if (e.detail instanceof Element) this.select(this.showing(e.detail), true);
    });
    this.mode = this.asked() || this.find(store(this.key)) || this.fallback;
    // Descriptions stay in each link's accessible name; the active one shows as the hint.
    for (const about of this.root.querySelectorAll(".mode-picker__description")) {
      about.classList.add("visually-hidden");
    }
    this.root.classList.add("mode-picker--enhanced"); // resizes it: before scrolling
    this.reveal(location.hash, true);
    document.documentElement.removeAttribute("data-mode-pending"); // see overrides/main.html
    // Focusable again (nothing is, out of sight while pending).
    const again = landed === location.href && this.target(location.hash);
    landed = "";
    if (again) land(again);
    // Live regions read out changes only.
    const say = said;
    if (say) setTimeout(() => (this.status.textContent = say), 500);
    live.add(this);
  }

  asked() {
    return this.find(new URLSearchParams(location.search).get("mode"));
  }

  // Back, forward: the address's mode.
  restore() {
    const mode = this.asked() || this.fallback;
    const moved = mode !== this.mode;
    if (moved) this.select(mode, true);
    // Material restored the scroll position for the old layout: again.
    if (moved && (history.state || !location.hash)) scrollTo(0, history.state?.y ?? 0);
    else this.reveal(location.hash, moved);
  }

  // "" above the first <h2>.
  section(el) {
    for (el = el.closest("article > *"); el; el = el.previousElementSibling) {
      if (el.tagName === "H2") return el.id;
    }
    return "";
  }

  shows(mode, section) {
    return !section || !mode.sections.length || mode.sections.includes(section);
  }

  visible(el) {
    return this.shows(this.mode, this.section(el));
  }

  // "Full lesson" lists no sections: all.
  showing(el) {
    const size = (m) => m.sections.length || 1e9;
    return this.modes
      .filter((m) => this.shows(m, this.section(el)))
      .sort((a, b) => size(a) - size(b))[0];
  }

  target(hash) {
    const el = hash ? document.getElementById(decode(hash.slice(1))) : null;
    return (el && this.article.contains(el) && el) || null;
  }

  // The smallest mode that shows `el`, when the current one hides it (and what to say then).
  switchFor(el) {
    const mode = el && !this.visible(el) && this.showing(el);
    if (!mode) return null;
    const heading = document.getElementById(this.section(el));
    said = `Switched to ${mode.label} to show ${heading ? text(heading) : mode.label}.`;
    setTimeout(() => (said = ""), 2000);
    return mode;
  }

  // An address or search result names something the mode hides.
  reveal(hash, load) {
    const el = this.target(hash);
    const mode = this.switchFor(el);
    if (mode || load) {
      this.select(mode || this.mode, !load && said);
      // Hiding moved the target the browser scrolled to.
      if (mode && !load) land(el);
      else if (el) el.scrollIntoView();
    }
  }

  /**
   * A click on an in-page link to something the mode hides: switch to the smallest mode that
   * shows it, then scroll to it and focus it, the fragment kept in a new history entry (Back
   * returns to the mode and place the link was followed from). Not left to Material: on the
   * first in-page link of a page it fetches and redraws the whole page, and meanwhile its
   * `navigation.tracking` rewrote the address from the scroll just before the click, without
   * the fragment, so the new page kept the old mode (three clicks in four at 1280x700).
   * Returns whether the link was followed.
   */
  follow(url) {
    const el = this.target(url.hash);
    const mode = this.switchFor(el);
    if (!mode) return false;
    history.replaceState({ x: scrollX, y: scrollY }, ""); // where Back scrolls to, as Material's
    history.pushState(null, "", url.href);
    this.select(mode, said);
    land(el);
    // pushState fires no hashchange, which is what tells Material's navigation.tracking to
    // leave the address alone after a jump (else it writes the heading scrolled past over the
    // fragment). It takes the first one after a page opened without a fragment for its
    // starting point, and only pauses on the next: hence two. Ours ignore both (shown already).
    for (let i = 0; i < 2; i++) dispatchEvent(new HashChangeEvent("hashchange"));
    return true;
  }

  // `say`: true, or what to announce.
  select(mode, say) {
    this.mode = mode;
    let section = "";
    let shown = 0;
    let total = 0;
    for (const el of this.article.children) {
      if (el.tagName === "H2") {
        section = el.id;
        total++;
        shown += this.shows(mode, section);
      }
      // Widgets hide things too: only what a mode hid is shown again.
      if (this.shows(mode, section)) {
        if (this.hid.delete(el)) el.hidden = false;
      } else if (!el.hidden) {
        this.hid.add(el);
        el.hidden = true;
      }
    }
    // Material's navigation.tracking writes the heading last scrolled past (hidden ones count
    // as at the top) in the address: hidden, a link has no fragment to give.
    for (const link of document.querySelectorAll(".md-nav--secondary .md-nav__link")) {
      const href = (link.dataset.href ??= link.getAttribute("href"));
      const el = this.target(new URL(href, location.href).hash);
      if (!el) continue;
      const show = this.visible(el);
      if (el.tagName === "H2") link.parentElement.hidden = !show;
      link.setAttribute("href", show ? href : "");
    }
    this.article.dataset.lessonMode = mode.id;
    for (const { link } of this.modes) link.removeAttribute("aria-current");
    mode.link.setAttribute("aria-current", "true");
    const count = `${shown} of ${total} sections.`;
    const about = mode.link.querySelector(".mode-picker__description");
    this.hint.textContent = `${about ? text(about) : ""} ${count}`;
    if (say) this.status.textContent = say === true ? `Showing: ${mode.label}. ${count}` : say;
    store(this.key, mode.id);
    this.syncURL();
  }

  // A fragment the mode hides would switch modes on reload.
  syncURL() {
    const url = new URL(location.href);
    url.searchParams.set("mode", this.mode.id);
    if (this.mode === this.fallback) url.searchParams.delete("mode");
    const el = url.hash && this.target(url.hash);
    if (el && !this.visible(el)) url.hash = "";
    if (url.href !== location.href) history.replaceState(history.state, "", url.href);
  }
}

// Scrolls to what a link led to, clear of the header (pushState sets no :target for Material's
// scroll margin: `data-mode-target` stands in, see learning-modes.css), and focuses it.
function land(el) {
  document.querySelector("[data-mode-target]")?.removeAttribute("data-mode-target");
  el.setAttribute("data-mode-target", "");
  el.scrollIntoView();
  if (el.tabIndex < 0 && !el.hasAttribute("tabindex")) {
    el.setAttribute("tabindex", "-1");
    el.addEventListener("blur", () => el.removeAttribute("tabindex"), { once: true });
  }
  el.focus({ preventScroll: true });
  landed = location.href;
}

const onPage = (act) =>
  live.forEach((picker) => {
    if (!picker.root.isConnected) live.delete(picker);
    else if (picker.path === location.pathname) act(picker);
  });

// Once per load (module scope), before Material's own handler on <body>. A link in the page to
// something the mode hides is followed here. Other in-page links are Material's: it pushes
// their addresses, with the mode the page loaded in, so they get the current one. Then comes
// popstate, not hashchange.
document.addEventListener(
  "click",
  (e) => {
    const link = e.target.closest?.("a[href*='#']");
    const url = link instanceof HTMLAnchorElement && new URL(link.href);
    if (!url || url.origin + url.pathname !== location.origin + location.pathname) return;
    url.searchParams.delete("mode");
    onPage((picker) => {
      if (picker.mode !== picker.fallback) url.searchParams.set("mode", picker.mode.id);
    });
    link.href = url.href;
    const plain = !(e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || link.target);
    if (!plain || e.defaultPrevented || !link.closest(".md-content")) return;
    let followed = false;
    onPage((picker) => (followed ||= picker.follow(url)));
    if (followed) {
      e.preventDefault();
      e.stopPropagation(); // or Material follows it too
    }
  },
  true
);
addEventListener("popstate", () => onPage((picker) => picker.restore()));
addEventListener("hashchange", () => onPage((picker) => picker.reveal(location.hash)));

export class CheatSheet {
  constructor(root) {
    this.root = root;
  }

  init() {
    const className = "md-button md-button--primary";
    const button = h("button", { className, type: "button" }, "Print the cheat sheet");
    button.addEventListener("click", () => {
      const picker = document.querySelector(".mode-picker--enhanced");
      picker?.dispatchEvent(new CustomEvent("mode-picker:select", { detail: this.root }));
      print();
    });
    this.root.prepend(h("p", { className: "cheat-sheet__actions" }, button));
  }
}
