/*
 * Step-through: Previous / Next / Play over the process table's steps (site.js imports it with
 * step-through.css; without it every step is listed). One step shows at a time, and its flow
 * node(s), table row and tracker column light up, changed cells marked in words. State is in
 * `data-step-*` attributes, for CSS and tests. The module outlives Material's instant
 * navigation, which brings fresh widgets: one `hashchange` listener for the whole visit serves
 * the widgets on the page, and forgets the ones that have left it.
 */

import { $$, h, words } from "./dom.js";

const DELAY = 3500; // ms per step when playing: time to read what changed
const CURRENT = "data-step-current";

const widgets = new Set(); // initialised, and on the page when last looked at

// Registered once, when the module first loads: a listener per widget would pile up, one
// more with every visit to a lesson.
window.addEventListener("hashchange", () => {
  for (const widget of widgets) if (widget.connected()) widget.fromHash(true);
});

function set(el, on, name = CURRENT, value = "") {
  if (on) el.setAttribute(name, value);
  else el.removeAttribute(name);
}

export class StepThrough {
  constructor(root) {
    this.root = root;
    this.steps = $$(".step-through__step", root);
    // What it highlights is elsewhere in the lesson.
    const scope = root.closest("article") || document;
    this.figure = scope.querySelector(".flow-diagram");
    this.process = scope.querySelector(".lesson-table--process");
    this.tracker = scope.querySelector(".lesson-table--tracker");
    this.current = 0;
    this.timer = 0;
    // Scrolled to for the widget, which has no box of its own in the visual modes.
    this.top = root.firstElementChild;
  }

  init() {
    if (!this.steps.length || this.root.classList.contains("step-through--enhanced")) return;
    const button = (text, action) => {
      const className = "md-button step-through__" + action;
      return h("button", { className, type: "button", "data-action": action }, text);
    };
    this.prev = button("Previous", "previous");
    this.next = button("Next", "next");
    this.play = button("Play", "play");
    this.position = h("p", { className: "step-through__position" });
    this.live = h("p", { className: "step-through__live visually-hidden", role: "status" });
    const bar = h("div", {
      className: "step-through__controls",
      role: "group",
      "aria-label": "Step controls"
    });
    bar.append(this.prev, this.position, this.next, this.play);
    const list = this.steps[0].parentElement;
    list.before(bar);
    list.after(this.live);

    bar.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "play") return this.timer ? this.stop() : this.start();
      if (action) this.go(this.current + (action === "next" ? 1 : -1), true);
    });
    this.root.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const to = { ArrowLeft: -1, ArrowRight: 1, Home: -99, End: 99 }[event.key];
      if (!to) return;
      event.preventDefault(); // no page scrolling
      this.go(Math.min(Math.max(this.current + to, 1), this.steps.length), true);
    });
    widgets.forEach((widget) => widget.connected()); // forgets those instant navigation removed
    widgets.add(this);
    this.root.classList.add("step-through--enhanced");
    if (!this.fromHash(false)) this.select(1);
  }

  connected() {
    if (this.root.isConnected) return true;
    this.stop();
    widgets.delete(this);
    return false;
  }

  // `#step-through-N` on load or later. The browser cannot scroll to a hidden step: scroll to
  // the widget (at once on load, like the browser's own jump). Focus stays where it is.
  fromHash(later) {
    const n = Number((/^#step-through-(\d+)$/.exec(location.hash) || [])[1]);
    if (!n || n > this.steps.length) return false;
    this.stop();
    this.select(n, later);
    const smooth = later && !matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.top.scrollIntoView({ behavior: smooth ? "smooth" : "auto" });
    return true;
  }

  // A move, announced, and the address kept a link to the step (replaced, not pushed: Back
  // leaves the page, not the step). The reader's own moves stop Play.
  go(n, reader) {
    if (reader) this.stop();
    if (n < 1 || n > this.steps.length || n === this.current) return;
    this.select(n, true);
    history.replaceState(history.state, "", "#step-through-" + n);
  }

  start() {
    if (this.current === this.steps.length) this.go(1); // again from the start
    this.play.textContent = "Pause";
    this.tick();
  }

  tick() {
    this.timer = setTimeout(() => {
      if (!this.connected()) return;
      this.go(this.current + 1);
      if (this.current < this.steps.length) this.tick();
      else this.stop();
    }, DELAY);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.play) this.play.textContent = "Play";
  }

  select(n, announce) {
    const step = this.steps[n - 1];
    const { trackerStage: stage, previousStage: before, flowSteps = "" } = step.dataset;
    const changes = $$(".step-through__changes li[data-changed=true]", step);
    const changed = changes.map((li) => li.dataset.variable);
    this.current = n;
    this.flow = flowSteps.split(/\s+/);
    this.steps.forEach((li) => (li.hidden = li !== step));
    this.position.textContent = `Step ${n} of ${this.steps.length}`;
    // Not `disabled`: a button that keeps its focus at either end says it is unavailable,
    // instead of dropping the reader's focus to the page.
    this.prev.setAttribute("aria-disabled", n === 1);
    this.next.setAttribute("aria-disabled", n === this.steps.length);

    for (const row of $$("tr[data-step]", this.process)) {
      set(row, row.dataset.step === String(n));
      set(row, row.dataset.step === String(n), "aria-current", "step");
    }
    for (const cell of $$("[data-stage]", this.tracker)) {
      const on = cell.dataset.stage === stage;
      const head = cell.tagName === "TH";
      const mark = on && !head && changed.includes(cell.parentNode.dataset.variable);
      set(cell, on);
      set(cell, on && head, "aria-current", "true");
      set(cell, cell.dataset.stage === before, "data-step-previous");
      set(cell, mark, "data-step-changed");
      cell.querySelector(".step-through__badge")?.remove();
      if (mark) cell.append(h("span", { className: "step-through__badge" }, " changed"));
    }
    for (const li of $$("[data-flow-step]", this.figure)) {
      set(li, this.flow.includes(li.dataset.flowStep));
      set(li, this.flow.includes(li.dataset.flowStep), "aria-current", "step");
    }
    // Both drawings (left to right, top to bottom) carry the step ids the build put on them.
    for (const node of $$("[data-flow-node]", this.figure)) {
      set(node, this.flow.includes(node.dataset.flowNode));
    }

    if (announce) {
      const names = changes.map((li) => words(li.querySelector("strong").textContent));
      this.live.textContent =
        `${words(step.querySelector(".step-through__title").textContent)}. ` +
        (names.length
          ? `Changed: ${names.join(", ")}.`
          : step.dataset.previousStage
            ? "Nothing changed."
            : "The tracker starts here.");
    }
  }
}
