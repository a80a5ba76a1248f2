/*
 * MLOps Visual Patterns: progressive enhancement on top of Material for MkDocs.
 *
 * Every page reads in full without this file. Widgets are found by `data-module`, each gets one
 * small class, each element is initialised at most once (Material's instant navigation re-runs
 * `init` on every page), and one widget's error never stops the others.
 */
(function () {
  "use strict";

  // Captured now: `document.currentScript` is only set while this file first runs.
  var scriptSrc = (document.currentScript && document.currentScript.src) || document.baseURI;
  var MERMAID_URL = new URL("../vendor/mermaid/mermaid.esm.min.mjs", scriptSrc).href;
  var INITIALISED = "data-module-initialised";

  /* Colours ------------------------------------------------------------------------------- */

  var probe = null;

  // Resolve a CSS colour (custom properties included) to opaque #rrggbb over `base`.
  // Mermaid's theming only understands hex colours.
  function resolveColour(css, base) {
    if (!probe) {
      probe = document.createElement("span");
      probe.hidden = true;
      document.body.appendChild(probe);
    } else if (!probe.isConnected) {
      document.body.appendChild(probe);
    }
    probe.style.color = "";
    probe.style.color = css;
    var parts = (getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
    var alpha = parts.length > 3 ? parts[3] : 1;
    var under = base || [255, 255, 255];
    var rgb = [0, 1, 2].map(function (i) {
      return Math.round(parts[i] * alpha + under[i] * (1 - alpha));
    });
    return rgb;
  }

  function hex(rgb) {
    return "#" + rgb.map(function (c) { return c.toString(16).padStart(2, "0"); }).join("");
  }

  // Mermaid theme variables taken from Material's palette, so diagrams follow light and dark.
  function themeVariables() {
    var bg = resolveColour("var(--md-default-bg-color)", [255, 255, 255]);
    var colour = function (css) { return hex(resolveColour(css, bg)); };
    var fg = colour("var(--md-default-fg-color)");
    var node = colour("var(--md-code-bg-color)");
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    return {
      darkMode: dark,
      fontFamily: getComputedStyle(document.body).fontFamily,
      fontSize: "15px",
      background: hex(bg),
      primaryColor: node,
      mainBkg: node,
      primaryTextColor: fg,
      nodeTextColor: fg,
      textColor: fg,
      titleColor: fg,
      primaryBorderColor: colour(dark ? "var(--md-accent-fg-color)" : "var(--md-primary-fg-color)"),
      nodeBorder: colour(dark ? "var(--md-accent-fg-color)" : "var(--md-primary-fg-color)"),
      lineColor: colour("var(--md-default-fg-color--light)"),
      edgeLabelBackground: hex(bg),
      secondaryColor: node,
      tertiaryColor: hex(bg)
    };
  }

  /* Flow diagram --------------------------------------------------------------------------- */

  var mermaidPromise = null;
  var renderQueue = Promise.resolve();
  var renderCount = 0;
  var NARROW = 600; // px: below this the flow runs top to bottom
  var MIN_SCALE = 0.8; // a left-to-right drawing shrunk further than this is redrawn top to bottom

  function loadMermaid() {
    if (!mermaidPromise) {
      mermaidPromise = import(MERMAID_URL).then(function (module) { return module.default; });
      mermaidPromise.catch(function () { mermaidPromise = null; });
    }
    return mermaidPromise;
  }

  // Mermaid keeps global state: draw one diagram at a time.
  function queue(task) {
    var run = renderQueue.then(task, task);
    renderQueue = run.catch(function () {});
    return run;
  }

  /**
   * Draws `data-diagram-source` with Mermaid into the canvas. The numbered list of steps stays
   * in the DOM for screen readers (the canvas is aria-hidden) and is shown again on error.
   * States: source -> rendered | error.
   */
  function FlowDiagram(root) {
    this.root = root;
    this.canvas = root.querySelector(".flow-diagram__canvas");
    this.source = root.getAttribute("data-diagram-source") || "";
    this.drawn = null; // what the canvas shows now: direction + palette
  }

  FlowDiagram.instances = new Set();

  FlowDiagram.prototype.init = function () {
    if (!this.canvas || !/^\s*flowchart\b/.test(this.source)) {
      this.root.setAttribute("data-state", "error");
      throw new Error("flow-diagram: no canvas or no flowchart source");
    }
    FlowDiagram.instances.add(this);
    watchPalette();
    if (window.ResizeObserver) {
      var self = this;
      new ResizeObserver(function () { self.update(); }).observe(this.root);
    }
    this.update();
  };

  FlowDiagram.prototype.direction = function () {
    var width = this.root.clientWidth;
    if (width < NARROW) return "TD";
    return this.tooWide && this.tooWide <= width ? "TD" : "LR";
  };

  FlowDiagram.prototype.update = function () {
    var self = this;
    if (!this.root.isConnected) {
      FlowDiagram.instances.delete(this);
      return Promise.resolve();
    }
    var theme = themeVariables();
    var direction = this.direction();
    var wanted = direction + JSON.stringify(theme);
    if (wanted === this.drawn) return Promise.resolve();
    this.drawn = wanted;
    return queue(function () { return self.render(direction, theme); });
  };

  FlowDiagram.prototype.render = function (direction, theme) {
    var self = this;
    var id = "flow-diagram-" + ++renderCount;
    var source = this.source.replace(/^(\s*flowchart\s+)(LR|RL|TD|TB|BT)\b/, "$1" + direction);
    return loadMermaid()
      .then(function (mermaid) {
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: "strict",
          theme: "base",
          themeVariables: theme,
          flowchart: { useMaxWidth: true }
        });
        return mermaid.render(id, source);
      })
      .then(function (result) {
        if (!self.root.isConnected) return;
        self.canvas.innerHTML = result.svg;
        self.canvas.hidden = false;
        self.root.setAttribute("data-state", "rendered");
        self.root.setAttribute("data-direction", direction);
        if (direction === "LR") self.checkFit();
      })
      .catch(function (error) {
        self.drawn = null;
        self.canvas.hidden = true;
        self.canvas.textContent = "";
        self.root.setAttribute("data-state", "error");
        console.error("flow-diagram: could not draw the diagram, showing the list of steps", error);
      })
      .finally(function () {
        var leftover = document.getElementById("d" + id);
        if (leftover) leftover.remove();
      });
  };

  // A wide flow squeezed into a narrow column has unreadable labels: draw it top to bottom.
  FlowDiagram.prototype.checkFit = function () {
    var svg = this.canvas.querySelector("svg");
    var box = svg && svg.viewBox && svg.viewBox.baseVal;
    var width = this.root.clientWidth;
    if (box && box.width && width / box.width < MIN_SCALE) {
      this.tooWide = box.width * MIN_SCALE;
      this.update();
    }
  };

  var paletteObserver = null;

  function watchPalette() {
    if (paletteObserver) return;
    paletteObserver = new MutationObserver(function () {
      FlowDiagram.instances.forEach(function (diagram) { diagram.update(); });
    });
    paletteObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"]
    });
  }

  /* Fixes for Material's own markup --------------------------------------------------------- */

  // axe-core `aria-dialog-name`: Material's search overlay is a dialog without a name.
  function nameMaterialWidgets() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Search");
    });
  }

  /* Registry -------------------------------------------------------------------------------- */

  var MODULES = {
    "flow-diagram": FlowDiagram
  };

  function initAll() {
    try {
      nameMaterialWidgets();
    } catch (error) {
      console.error("site.js: could not fix Material's markup", error);
    }
    document.querySelectorAll("[data-module]").forEach(function (el) {
      var name = el.getAttribute("data-module");
      var Module = MODULES[name];
      if (!Module || el.hasAttribute(INITIALISED)) return;
      el.setAttribute(INITIALISED, name);
      try {
        new Module(el).init();
      } catch (error) {
        console.error("site.js: module " + name + " failed to start", error);
      }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(initAll); // first page and every instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
