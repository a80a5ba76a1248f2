/*
 * MLOps Visual Patterns: progressive enhancement on top of Material for MkDocs.
 *
 * Every page reads in full without this file. Widgets are found by `data-module`, each gets one
 * small class, each element is initialised at most once (Material's instant navigation re-runs
 * `initAll` on every page), and one widget's error never stops the others.
 */
(() => {
  "use strict";

  // Captured now: `document.currentScript` is only set while this file first runs.
  const scriptSrc = (document.currentScript && document.currentScript.src) || document.baseURI;
  const INITIALISED = "data-module-initialised";

  /* Fixes for Material's own markup (axe-core findings) ------------------------------------- */

  function fixMaterialMarkup() {
    // aria-dialog-name: the search overlay is a dialog without a name.
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach((el) => {
      el.setAttribute("aria-label", "Search");
    });
    // aria-progressbar-name, region: the instant-loading bar is a purely visual cue, with no
    // value (Material never sets aria-valuenow), outside every landmark.
    document.querySelectorAll(".md-progress[role=progressbar]").forEach((el) => {
      el.setAttribute("aria-hidden", "true");
    });
    // landmark-unique: each code block's copy button sits in an unnamed <nav>, so a page with
    // code has several identical "navigation" landmarks that lead nowhere.
    document.querySelectorAll("nav.md-code__nav:not([role])").forEach((el) => {
      el.setAttribute("role", "none");
    });
    // Measuring before the first paint would make this script lay out the whole page itself:
    // after a frame, the browser has done that already.
    requestAnimationFrame(() => setTimeout(focusableScrollRegions));
  }

  // scrollable-region-focusable: a table wider than the screen scrolls sideways inside
  // Material's wrapper, which keyboard users can only scroll if it takes focus. Only
  // overflowing wrappers become tab stops, named after the section they are in.
  // Code blocks: Material makes an overflowing one a tab stop when it mounts it, and with
  // content.lazy (mkdocs.yml) it mounts each only when it first comes into view, so until then
  // this does; once mounted (Material gives its <pre> an id), the block is Material's.
  // Every size is read before anything is written, so the page is laid out once.
  function focusableScrollRegions() {
    const overflows = (el) => el.scrollWidth > el.clientWidth + 1;
    const tables = [...document.querySelectorAll(".md-typeset__scrollwrap")].map((el) => [
      el,
      overflows(el)
    ]);
    const codes = [...document.querySelectorAll(".md-typeset pre:not([id]) > code")].map((el) => [
      el,
      overflows(el)
    ]);
    for (const [el, overflowing] of tables) {
      if (overflowing && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", `${sectionTitle(el) || "Table"} (scrolls sideways)`);
        el.setAttribute("data-site-scroll-region", "");
      } else if (!overflowing && el.hasAttribute("data-site-scroll-region")) {
        for (const name of ["tabindex", "role", "aria-label", "data-site-scroll-region"]) {
          el.removeAttribute(name);
        }
      }
    }
    for (const [el, overflowing] of codes) {
      if (overflowing && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-site-scroll-region", "");
      } else if (!overflowing && el.hasAttribute("data-site-scroll-region")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-site-scroll-region");
      }
    }
  }

  // The nearest heading before `el`, prefixed with its section's <h2> when it is a subheading:
  // the cheat sheet's "Status tracker" table must not share a name with the real one.
  function sectionTitle(el) {
    const names = [];
    let level = 7;
    for (let node = el; node && !node.matches("article"); node = node.parentElement) {
      for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) {
        const heading = /^H([1-6])$/.exec(sib.tagName);
        if (heading && Number(heading[1]) < level) {
          level = Number(heading[1]);
          names.unshift(sib.textContent.replace(/\u00b6$/, "").trim()); // minus the permalink
          if (level <= 2) return names.join(": ");
        }
      }
    }
    return names.join(": ");
  }

  let resizeFrame = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(focusableScrollRegions);
  });

  /* Glossary terms: the definition as a tooltip on hover and on keyboard focus -------------- */

  // One tooltip for the whole site, driven by listeners on the document: nothing is done per
  // term until a reader points at one. (Material's content.tooltips mounted a component for
  // every titled link, 73 on the lesson page: a third of its script time on a slow phone.)
  // Without JavaScript the link's own `title` is the browser's tooltip; while this tooltip is
  // shown the title is set aside, so the two never show at once, and put back on hiding.
  class GlossaryTooltip {
    static TERM = "a.glossary-term";
    static GRACE = 150; // ms to move the pointer from a term onto its tooltip (WCAG 1.4.13)

    constructor() {
      this.term = null;
      this.hideTimer = 0;
      this.frame = 0;
    }

    install() {
      document.addEventListener("mouseover", (event) => this.onEnter(event));
      document.addEventListener("mouseout", (event) => this.onOut(event));
      document.addEventListener("focusin", (event) => this.onEnter(event));
      document.addEventListener("focusout", () => this.hide());
      document.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && this.term) this.hide();
      });
      // Boxes drawn late above the term (content-visibility) move it, and the browser scrolls
      // to keep it still on the screen: the tooltip follows.
      const follow = () => {
        cancelAnimationFrame(this.frame);
        if (this.term) this.frame = requestAnimationFrame(() => this.term && this.place());
      };
      window.addEventListener("scroll", follow, { passive: true });
      window.addEventListener("resize", follow);
      // Instant navigation swaps the article: a term that is gone takes its tooltip with it.
      if (window.document$) window.document$.subscribe(() => this.hide());
    }

    element() {
      if (!this.tip || !this.tip.isConnected) {
        this.tip = document.createElement("div");
        this.tip.id = "glossary-tooltip";
        this.tip.className = "glossary-tooltip";
        this.tip.setAttribute("role", "tooltip");
        this.tip.hidden = true;
        this.tip.addEventListener("mouseenter", () => clearTimeout(this.hideTimer));
        this.tip.addEventListener("mouseleave", () => this.hideSoon());
        document.body.appendChild(this.tip);
      }
      return this.tip;
    }

    static termOf(event) {
      return event.target.closest ? event.target.closest(GlossaryTooltip.TERM) : null;
    }

    onEnter(event) {
      const term = GlossaryTooltip.termOf(event);
      if (term) this.show(term);
    }

    onOut(event) {
      const term = GlossaryTooltip.termOf(event);
      if (term && term === this.term && !term.contains(event.relatedTarget)) this.hideSoon();
    }

    show(term) {
      clearTimeout(this.hideTimer);
      if (term === this.term) return;
      const definition = term.getAttribute("title");
      if (!definition) return;
      this.hide();
      const tip = this.element();
      tip.textContent = definition;
      term.removeAttribute("title");
      term.setAttribute("aria-describedby", tip.id);
      this.term = term;
      tip.hidden = false;
      this.place();
    }

    // Below the term, or above it when there is no room below; never wider than the screen.
    place() {
      const [term, tip] = [this.term, this.tip];
      const margin = 8;
      const box = term.getBoundingClientRect();
      const width = Math.min(tip.offsetWidth, window.innerWidth - 2 * margin);
      const left = Math.max(margin, Math.min(box.left, window.innerWidth - width - margin));
      const below = box.bottom + margin + tip.offsetHeight <= window.innerHeight;
      const top = below ? box.bottom + margin : box.top - margin - tip.offsetHeight;
      tip.style.left = `${left + window.scrollX}px`;
      tip.style.top = `${Math.max(margin, top) + window.scrollY}px`;
    }

    hideSoon() {
      clearTimeout(this.hideTimer);
      this.hideTimer = setTimeout(() => this.hide(), GlossaryTooltip.GRACE);
    }

    hide() {
      clearTimeout(this.hideTimer);
      const term = this.term;
      this.term = null;
      if (this.tip) this.tip.hidden = true;
      if (!term) return;
      term.setAttribute("title", this.tip.textContent);
      term.removeAttribute("aria-describedby");
    }
  }

  /* Registry -------------------------------------------------------------------------------- */

  // Modules fetched on first use, so pages without them load neither script nor stylesheet.
  // Scripts inside the page are not run after instant navigation, hence loading them from here.
  const QUIZ = { script: "quiz.js", style: "../stylesheets/quiz.css" };
  const MODES = { script: "learning-modes.js", style: "../stylesheets/learning-modes.css" };
  const LAZY = {
    quiz: { ...QUIZ, name: "Quiz" },
    "lesson-progress": { ...QUIZ, name: "LessonProgress" },
    "step-through": {
      script: "step-through.js",
      style: "../stylesheets/step-through.css",
      name: "StepThrough"
    },
    "mode-picker": { ...MODES, name: "ModePicker" },
    "cheat-sheet": { ...MODES, name: "CheatSheet" },
    flashcards: { script: "flashcards.js", style: "../stylesheets/flashcards.css", name: "Flashcards" },
    "lesson-catalog": {
      script: "catalog.js",
      style: "../stylesheets/catalog.css",
      name: "LessonCatalog"
    }
  };
  const loading = new Map();
  const stylesheets = new Map(); // href -> [<link>, loaded]

  function stylesheet(href) {
    const [link, loaded] = stylesheets.get(href) || [];
    if (link && link.isConnected) return loaded;
    // Linked in the page's head by the build (hooks.py), so already applied: scripts wait for
    // the stylesheets above them.
    for (const linked of document.querySelectorAll('link[rel="stylesheet"]')) {
      if (linked.href === href) return Promise.resolve();
    }
    const added = document.createElement("link");
    added.rel = "stylesheet";
    added.href = href;
    // Unstyled still works: never block on the CSS.
    const done = new Promise((resolve) => (added.onload = added.onerror = resolve));
    stylesheets.set(href, [added, done]);
    document.head.appendChild(added);
    return done;
  }

  // Resolves once both have arrived, so enhanced markup never shows without its styles. The
  // stylesheet is checked on every page: instant navigation drops <link>s the new page lacks.
  function loadLazy({ script, style }) {
    if (!loading.has(script)) {
      const module = import(new URL(script, scriptSrc).href);
      module.catch(() => loading.delete(script)); // let a later page retry
      loading.set(script, module);
    }
    return Promise.all([loading.get(script), stylesheet(new URL(style, scriptSrc).href)]).then(
      ([exports]) => exports
    );
  }

  // A widget that could not start is marked, so that site.css shows it as it is without
  // JavaScript (the test's questions, held out of sight for its start screen).
  function failed(el) {
    el.setAttribute("data-module-failed", "");
  }

  function start(name, Module, el) {
    try {
      new Module(el).init();
    } catch (error) {
      failed(el);
      console.error(`site.js: the ${name} module failed to start`, error);
    }
  }

  // Each step on its own: one failing never stops the others.
  function attempt(what, task) {
    try {
      task();
    } catch (error) {
      console.error(`site.js: could not ${what}`, error);
    }
  }

  /* The hold for a learning mode (see overrides/main.html) ---------------------------------- */

  // A stalled network must not hide the lesson for ever; anything short of this is left to the
  // module, since a busy phone can take seconds to start it and a timer would show the lesson.
  const HOLD_CEILING = 10000; // ms
  let holds = 0;

  function letGo(hold) {
    if (hold === holds) document.documentElement.removeAttribute("data-mode-pending");
  }

  // Returns a function that lets go of this page's hold, and of no later page's.
  function holdForMode() {
    const picker = document.querySelector('[data-module="mode-picker"]');
    if (!picker) {
      letGo(holds); // a page with nothing that would ever let go
      return () => {};
    }
    if (picker.hasAttribute(INITIALISED)) return () => {}; // called again: the first call lets go
    const hold = ++holds;
    if (window.holdForMode) window.holdForMode(picker.getAttribute("data-lesson"));
    setTimeout(() => letGo(hold), HOLD_CEILING);
    return () => letGo(hold);
  }

  // The lesson opened last, for the catalog's "Continue where you left off" (catalog.js).
  function recordLastLesson() {
    const picker = document.querySelector('[data-module="mode-picker"][data-lesson]');
    if (!picker) return;
    try {
      localStorage.setItem("mlops-visual-patterns:v1:last-lesson", picker.dataset.lesson);
    } catch {
      // storage disabled or full: the catalog offers no link, nothing else changes
    }
  }

  function initAll() {
    attempt("fix Material's markup", fixMaterialMarkup);
    attempt("record the lesson opened", recordLastLesson);
    let release = () => document.documentElement.removeAttribute("data-mode-pending");
    attempt("hold the page for its learning mode", () => (release = holdForMode()));
    document.querySelectorAll("[data-module]").forEach((el) => {
      const name = el.getAttribute("data-module");
      const lazy = LAZY[name];
      if (!Object.hasOwn(LAZY, name)) return;
      if (el.hasAttribute(INITIALISED)) return;
      el.setAttribute(INITIALISED, "");
      const started = loadLazy(lazy).then(
        (exports) => el.isConnected && start(name, exports[lazy.name], el),
        (error) => {
          failed(el);
          console.error(`site.js: could not load the ${name} module`, error);
        }
      );
      // Applied, or it never will be: either way the sections may show now.
      if (name === "mode-picker") started.finally(release);
    });
  }

  // For the console and tests; `initAll` is safe to call again at any time.
  window.MLOpsVisualPatterns = { initAll };

  attempt("set up the glossary tooltip", () => new GlossaryTooltip().install());

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(initAll); // the first page, then every instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
