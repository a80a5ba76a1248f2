/*
 * The home page's lesson catalog. An ES module that site.js imports where a
 * `data-module="lesson-catalog"` element is, together with catalog.css.
 *
 * Without this file the page lists every lesson, then the lessons grouped by tag. With it, the
 * filter form (in the page from the first paint) narrows the cards by tag and difficulty; the
 * choice lives in the address (?tag=, ?difficulty=), so a filtered catalog is a link. The line
 * above the cards offers the lesson the reader last opened (site.js records it).
 */

import { $, $$, h } from "./dom.js";

export const LAST_LESSON = "mlops-visual-patterns:v1:last-lesson";
const FILTERS = ["tag", "difficulty"];

export class LessonCatalog {
  constructor(root) {
    this.root = root;
  }

  init() {
    this.form = $(".lesson-browser__filters", this.root);
    this.cards = $$(".lesson-card", this.root);
    this.count = $(".lesson-browser__count", this.root);
    const asked = new URLSearchParams(location.search);
    for (const name of FILTERS) {
      const select = this.form.elements[name];
      const value = asked.get(name);
      if (value && [...select.options].some((option) => option.value === value)) {
        select.value = value;
      }
    }
    this.form.addEventListener("change", () => this.apply(true));
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.apply(false);
    this.offerLastLesson();
    this.root.classList.add("lesson-browser--enhanced");
  }

  apply(remember) {
    const [tag, difficulty] = FILTERS.map((name) => this.form.elements[name].value);
    let shown = 0;
    for (const card of this.cards) {
      const fits =
        (!tag || card.dataset.tags.split(" ").includes(tag)) &&
        (!difficulty || card.dataset.difficulty === difficulty);
      card.hidden = !fits;
      shown += fits;
    }
    const total = this.cards.length;
    this.count.textContent =
      shown === total
        ? `All ${total} lessons.`
        : `${shown} of ${total} lessons match.${shown ? "" : " Choose another tag or difficulty."}`;
    if (!remember) return;
    const url = new URL(location.href);
    for (const name of FILTERS) {
      const value = this.form.elements[name].value;
      if (value) url.searchParams.set(name, value);
      else url.searchParams.delete(name);
    }
    history.replaceState(history.state, "", url.href);
  }

  // Storage may be missing, disabled or hold anything: only a lesson of this catalog counts.
  offerLastLesson() {
    let last = null;
    try {
      last = localStorage.getItem(LAST_LESSON);
    } catch {
      return;
    }
    const card = this.cards.find((el) => el.dataset.lesson === last);
    if (!card) return;
    const link = $(".lesson-card__title a", card);
    $(".lesson-browser__continue", this.root).replaceChildren(
      "Continue where you left off: ",
      h("a", { href: link.getAttribute("href") }, link.textContent)
    );
  }
}
