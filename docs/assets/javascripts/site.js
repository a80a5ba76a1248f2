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
  const MERMAID_URL = new URL("../vendor/mermaid/mermaid.esm.min.mjs", scriptSrc).href;
  const INITIALISED = "data-module-initialised";

  /* Colours: Material's palette as Mermaid theme variables ---------------------------------- */

  let probe = null;

  // Any CSS colour (custom properties included) as opaque [r, g, b] over `base`.
  function resolveColour(css, base) {
    if (!probe || !probe.isConnected) {
      probe = probe || document.createElement("span");
      probe.hidden = true;
      document.body.appendChild(probe);
    }
    probe.style.color = "";
    probe.style.color = css;
    const [r, g, b, a = 1] = (getComputedStyle(probe).color.match(/[\d.]+/g) || []).map(Number);
    return [r, g, b].map((c, i) => Math.round((c || 0) * a + base[i] * (1 - a)));
  }

  const hex = (rgb) => "#" + rgb.map((c) => c.toString(16).padStart(2, "0")).join("");

  // Mermaid's theming only understands hex colours.
  function themeVariables() {
    const bg = resolveColour("var(--md-default-bg-color)", [255, 255, 255]);
    const colour = (css) => hex(resolveColour(css, bg));
    const dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    const fg = colour("var(--md-default-fg-color)");
    const node = colour("var(--md-code-bg-color)");
    const border = colour(dark ? "var(--md-accent-fg-color)" : "var(--md-primary-fg-color)");
    return {
      darkMode: dark,
      fontFamily: getComputedStyle(document.body).fontFamily.replace(/^_,\s*/, ""),
      fontSize: "15px",
      background: hex(bg),
      mainBkg: node,
      primaryColor: node,
      secondaryColor: node,
      tertiaryColor: hex(bg),
      primaryTextColor: fg,
      nodeTextColor: fg,
      textColor: fg,
      titleColor: fg,
      primaryBorderColor: border,
      nodeBorder: border,
      lineColor: colour("var(--md-default-fg-color--light)"),
      edgeLabelBackground: hex(bg)
    };
  }

  // The address's fragment, decoded. Anyone can type or link `#%`, which decodeURIComponent
  // rejects (URIError): then it is taken as it is.
  function locationFragment() {
    const raw = location.hash.slice(1);
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }

  /* Flow diagram ---------------------------------------------------------------------------- */

  const NARROW = 600; // px: below this the flow runs top to bottom
  const MIN_SCALE = 0.8; // a left-to-right drawing shrunk further than this is drawn top to bottom
  let mermaidPromise = null;
  let renderQueue = Promise.resolve();
  let renderCount = 0;

  function loadMermaid() {
    if (!mermaidPromise) {
      mermaidPromise = import(MERMAID_URL).then((module) => module.default);
      mermaidPromise.catch(() => { mermaidPromise = null; }); // let a later page retry
    }
    return mermaidPromise;
  }

  // Mermaid keeps global state: draw one diagram at a time.
  function queue(task) {
    const run = renderQueue.then(task, task);
    renderQueue = run.catch(() => {});
    return run;
  }

  // The drawing is taller than the list it replaces: whatever the reader is looking at below
  // the diagram (a deep link such as #process-step-2, or where they had scrolled to) would
  // jump down the page. Returns a function that scrolls it back to where it was.
  function keepInView(diagram) {
    const fragment = locationFragment();
    const target = (fragment && document.getElementById(fragment)) || null;
    const below = (el) => diagram.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
    const anchor =
      target && below(target) && !diagram.contains(target)
        ? target
        : diagram.getBoundingClientRect().bottom <= 0 && diagram.nextElementSibling;
    if (!anchor) return () => {};
    const top = anchor.getBoundingClientRect().top;
    return () => window.scrollBy({ top: anchor.getBoundingClientRect().top - top, behavior: "instant" });
  }

  // The build writes every character that means something to Mermaid (& " # % ` < >) as
  // Mermaid's entity code `#38;`. Drawn as SVG text, Mermaid 11 leaves them as the characters
  // "&#38;": each becomes the one character it stands for, as text (never parsed as markup).
  function decodeEntityCodes(svg) {
    for (const text of svg.querySelectorAll("text")) {
      const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        node.data = node.data.replace(/&#(\d{1,7});/g, (code, n) =>
          Number(n) <= 0x10ffff ? String.fromCodePoint(Number(n)) : code
        );
      }
    }
  }

  /**
   * Draws `data-diagram-source` with Mermaid into the canvas. The numbered list of steps stays
   * in the DOM for screen readers (the canvas is aria-hidden), and is shown again on error.
   * data-state: source -> rendered | error. Redrawn when the palette or the width changes.
   */
  class FlowDiagram {
    constructor(root) {
      this.root = root;
      this.canvas = root.querySelector(".flow-diagram__canvas");
      this.source = root.getAttribute("data-diagram-source") || "";
      this.drawn = null; // direction + palette of the drawing shown or under way
      this.tooWide = 0; // below this width the left-to-right drawing is too small to read
    }

    init() {
      if (!this.canvas || !/^\s*flowchart\b/.test(this.source)) {
        this.root.setAttribute("data-state", "error");
        throw new Error("flow-diagram: no canvas or no flowchart source");
      }
      FlowDiagram.instances.add(this);
      FlowDiagram.watchPalette();
      if (window.ResizeObserver) new ResizeObserver(() => this.update()).observe(this.root);
      this.update();
    }

    direction() {
      const width = this.root.clientWidth;
      return width < NARROW || width < this.tooWide ? "TD" : "LR";
    }

    update() {
      if (!this.root.isConnected) {
        FlowDiagram.instances.delete(this);
        return;
      }
      // Hidden (a learning mode without the diagram): draw when shown, at the width it gets.
      if (!this.root.clientWidth) return;
      const theme = themeVariables();
      const direction = this.direction();
      const wanted = direction + JSON.stringify(theme);
      if (wanted === this.drawn) return;
      this.drawn = wanted;
      queue(() => this.render(direction, theme));
    }

    async draw(mermaid, direction) {
      const id = `flow-diagram-${++renderCount}`;
      const source = this.source.replace(/^(\s*flowchart\s+)(LR|RL|TD|TB|BT)\b/, `$1${direction}`);
      try {
        const { svg } = await mermaid.render(id, source);
        return { svg, width: Number((svg.match(/viewBox="[\d.-]+ [\d.-]+ ([\d.]+)/) || [])[1]) };
      } finally {
        document.getElementById(`d${id}`)?.remove(); // Mermaid's scratch element, left on error
      }
    }

    async render(direction, theme) {
      try {
        const mermaid = await loadMermaid();
        // Labels are SVG text, never HTML: `strict` escapes them and turns off click handlers;
        // with `htmlLabels: false` no <foreignObject> carries markup into the page (Mermaid 11
        // reads the root option, older versions the flowchart's).
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: "strict",
          htmlLabels: false,
          theme: "base",
          themeVariables: theme,
          flowchart: { useMaxWidth: true, htmlLabels: false }
        });
        let drawing = await this.draw(mermaid, direction);
        // A wide flow squeezed into a narrow column has unreadable labels: go top to bottom.
        if (direction === "LR" && this.root.clientWidth < drawing.width * MIN_SCALE) {
          this.tooWide = drawing.width * MIN_SCALE;
          direction = "TD";
          this.drawn = direction + JSON.stringify(theme);
          drawing = await this.draw(mermaid, direction);
        }
        if (!this.root.isConnected) return;
        const keep = keepInView(this.root);
        this.canvas.innerHTML = drawing.svg;
        decodeEntityCodes(this.canvas);
        this.canvas.hidden = false;
        this.root.setAttribute("data-direction", direction);
        this.root.setAttribute("data-state", "rendered");
        keep();
      } catch (error) {
        this.drawn = null;
        this.canvas.hidden = true;
        this.canvas.textContent = "";
        this.root.setAttribute("data-state", "error");
        console.error("flow-diagram: could not draw the diagram, showing the list of steps", error);
      }
    }

    // One observer for the page's lifetime: Material switches palettes on <body>.
    static watchPalette() {
      if (FlowDiagram.paletteObserver) return;
      FlowDiagram.paletteObserver = new MutationObserver(() => {
        FlowDiagram.instances.forEach((diagram) => diagram.update());
      });
      FlowDiagram.paletteObserver.observe(document.body, {
        attributes: true,
        attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"]
      });
    }
  }

  FlowDiagram.instances = new Set();
  FlowDiagram.paletteObserver = null;

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
    focusableScrollRegions();
  }

  // scrollable-region-focusable: a table wider than the screen scrolls sideways inside
  // Material's wrapper, which keyboard users can only scroll if it takes focus. Only
  // overflowing wrappers become tab stops, named after the section they are in.
  function focusableScrollRegions() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach((el) => {
      const overflows = el.scrollWidth > el.clientWidth + 1;
      if (overflows && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", `${sectionTitle(el) || "Table"} (scrolls sideways)`);
        el.setAttribute("data-site-scroll-region", "");
      } else if (!overflows && el.hasAttribute("data-site-scroll-region")) {
        for (const name of ["tabindex", "role", "aria-label", "data-site-scroll-region"]) {
          el.removeAttribute(name);
        }
      }
    });
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

  /* Registry -------------------------------------------------------------------------------- */

  const MODULES = {
    "flow-diagram": FlowDiagram
  };

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
    flashcards: { script: "flashcards.js", style: "../stylesheets/flashcards.css", name: "Flashcards" }
  };
  const loading = new Map();
  const stylesheets = new Map(); // href -> [<link>, loaded]

  function stylesheet(href) {
    const [link, loaded] = stylesheets.get(href) || [];
    if (link && link.isConnected) return loaded;
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

  function start(name, Module, el) {
    try {
      new Module(el).init();
    } catch (error) {
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

  function initAll() {
    attempt("fix Material's markup", fixMaterialMarkup);
    let release = () => document.documentElement.removeAttribute("data-mode-pending");
    attempt("hold the page for its learning mode", () => (release = holdForMode()));
    document.querySelectorAll("[data-module]").forEach((el) => {
      const name = el.getAttribute("data-module");
      const lazy = LAZY[name];
      if (!Object.hasOwn(MODULES, name) && !Object.hasOwn(LAZY, name)) return;
      if (el.hasAttribute(INITIALISED)) return;
      el.setAttribute(INITIALISED, "");
      if (!lazy) return start(name, MODULES[name], el);
      const started = loadLazy(lazy).then(
        (exports) => el.isConnected && start(name, exports[lazy.name], el),
        (error) => console.error(`site.js: could not load the ${name} module`, error)
      );
      // Applied, or it never will be: either way the sections may show now.
      if (name === "mode-picker") started.finally(release);
    });
  }

  // For the console and tests; `initAll` is safe to call again at any time.
  window.MLOpsVisualPatterns = { initAll, modules: MODULES };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(initAll); // the first page, then every instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
