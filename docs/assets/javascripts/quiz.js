/*
 * Quizzes and lesson progress. An ES module that site.js imports only on pages that have a
 * `data-module="quiz"` or `data-module="lesson-progress"` element, together with quiz.css.
 *
 * Every question reads in full without this file (answers in <details>); the script adds the
 * Check button, feedback in a live region, shuffling, the one-question-at-a-time test and
 * progress kept in localStorage. Module state outlives Material's instant navigation, so the
 * saved progress is read once per lesson and shared by every widget on every page.
 */

import { $, $$, h, words } from "./dom.js";

const KEY = "mlops-visual-patterns:v1:";
const LEVELS = ["easy", "medium", "hard"];

/* Progress store ---------------------------------------------------------------------------- */

// Memory is the source of truth for this visit: localStorage may be missing, disabled (access
// throws SecurityError), full (setItem throws QuotaExceededError) or hold garbage.
const memory = new Map();
const watchers = new Set(); // widgets to update when a lesson's progress changes

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/*
 * Stored progress is read as untrusted data, one record at a time: an answer that is not a
 * boolean, or a best score that could not come from this lesson's test, is dropped on its
 * own; the rest stays. What the page shows counts only the lesson's own questions.
 */

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (n) => Number.isSafeInteger(n) && n >= 0;

// A test's score: `most` is the longest test the lesson has.
const validBest = (best, most = Infinity) =>
  isObject(best) &&
  isCount(best.score) &&
  isCount(best.total) &&
  best.total > 0 &&
  best.total <= most &&
  best.score <= best.total;

// No prototype: an id such as "__proto__" or "constructor" is a key like any other.
const table = (entries = []) => Object.assign(Object.create(null), Object.fromEntries(entries));

function sanitise(data) {
  const answers = isObject(data) && isObject(data.answers) ? data.answers : {};
  const best = isObject(data) && validBest(data.best) ? data.best : null;
  return {
    answers: table(Object.entries(answers).filter(([, ok]) => typeof ok === "boolean")),
    best: best && { score: best.score, total: best.total }
  };
}

function load(lesson) {
  if (!memory.has(lesson)) {
    let data = null;
    try {
      data = JSON.parse(storage().getItem(KEY + lesson));
    } catch {
      // unreadable or unavailable: start afresh, the next save overwrites it
    }
    memory.set(lesson, sanitise(data));
  }
  return memory.get(lesson);
}

// What the pages say about a lesson: its question ids and its longest test, read from its
// quizzes' markup while they are on the page, and remembered for the rest of the visit (the
// home page's cards have neither: they have the number of questions).
const facts = new Map();

function limits(lesson) {
  const quizzes = $$("[data-module=quiz][data-lesson]", document).filter(
    (root) => root.dataset.lesson === lesson
  );
  if (quizzes.length) {
    const ids = (root) =>
      $$(".quiz-question[data-question-id]", root).map((li) => li.dataset.questionId);
    const bank = quizzes.find((root) => root.dataset.quiz === "test_bank");
    facts.set(lesson, {
      ids: new Set(quizzes.flatMap(ids)),
      most: bank ? Math.min(+bank.dataset.testLength || 10, ids(bank).length) : 0
    });
  }
  return facts.get(lesson);
}

// The lesson's progress as shown: `answers` of its own questions only (all of them when its
// questions are unknown here), `best` only if the lesson's test could have scored it.
function progress(lesson, questionCount = Infinity) {
  const { answers, best } = load(lesson);
  const known = limits(lesson);
  const own = Object.entries(answers).filter(([id]) => !known || known.ids.has(id));
  return {
    answers: table(own),
    best: validBest(best, known ? known.most : questionCount) ? best : null
  };
}

// Where the lesson's questions are known, only theirs are written back.
function save(lesson, data, reset) {
  const known = limits(lesson);
  const answers = Object.entries(data.answers).filter(([id]) => !known || known.ids.has(id));
  const best = !known || validBest(data.best, known.most) ? data.best : null;
  data = { answers: table(answers), best };
  memory.set(lesson, data);
  try {
    if (reset) storage().removeItem(KEY + lesson);
    else storage().setItem(KEY + lesson, JSON.stringify(data));
  } catch {
    // full or disabled: this visit keeps the progress in memory
  }
  watchers.forEach((w) => (w.root.isConnected ? w.update(lesson, reset) : watchers.delete(w)));
}

const record = (lesson, id, ok) => {
  const data = load(lesson);
  save(lesson, { ...data, answers: table([...Object.entries(data.answers), [id, ok]]) });
};

// The best score is the best ratio; of equal ratios, the longer test.
const rank = (r) => (r ? r.score / r.total + r.total * 1e-6 : -1);

function recordTest(lesson, score, total) {
  const best = { score, total };
  if (!validBest(best, limits(lesson)?.most)) return; // never an impossible score
  if (rank(best) > rank(progress(lesson).best)) save(lesson, { ...load(lesson), best });
}

// Another tab changed the progress.
window.addEventListener("storage", (event) => {
  if (event.key && !event.key.startsWith(KEY)) return;
  const lessons = event.key ? [event.key.slice(KEY.length)] : [...memory.keys()];
  lessons.forEach((lesson) => {
    memory.delete(lesson);
    watchers.forEach((w) => w.root.isConnected && w.update(lesson, false));
  });
});

/* DOM helpers ------------------------------------------------------------------------------- */

const textOf = (selector, el) => words($(selector, el).textContent);
const capital = (text) => text[0].toUpperCase() + text.slice(1);

const button = (text, className = "md-button", props = {}) =>
  h("button", { type: "button", className, ...props }, text);

function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/* One question ------------------------------------------------------------------------------ */

class Question {
  constructor(li, quiz) {
    this.li = li;
    this.quiz = quiz;
    this.id = li.dataset.questionId;
    this.type = li.dataset.questionType;
    this.level = li.dataset.difficulty;
    this.fieldset = $("fieldset", li);
    this.list = $(".quiz-question__options, [data-quiz-ordering]", li);
    this.reveal = $$(":scope > [data-quiz-answer], :scope > [data-quiz-solution]", li);
    // The rendered letters follow the options' source order: keep each one's option index.
    this.letters = $$("[data-option-letter]", li).map((span) => {
      const text = span.textContent.trim();
      return [span, text.charCodeAt(0) - 65, text.slice(1)];
    });
    this.check = button("Check answer", "md-button md-button--primary");
    this.feedback = h("div", { className: "quiz-question__feedback", role: "status" });
    this.previous = h("p", { className: "quiz-question__previous", hidden: true });
    this.fieldset.before(this.previous);
    const actions = h("div", { className: "quiz-question__actions" }, this.check, this.feedback);
    this.fieldset.after(actions);
    if (this.type === "ordering") {
      this.items().forEach((item) => {
        const text = words(item.textContent);
        const move = (arrow, way, step) =>
          button(arrow, "quiz-ordering__move", {
            "aria-label": `Move ${way}: ${text}`,
            "data-move": step
          });
        const moves = h("span", { className: "quiz-ordering__moves" });
        moves.append(move("↑", "up", -1), move("↓", "down", 1));
        item.append(moves);
      });
    }
    li.addEventListener("click", (event) => {
      const target = event.target.closest("button");
      if (target === this.check) this.submit();
      else if (target && target.dataset.move) this.move(target);
    });
    li.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.matches("[data-quiz-text-answer]")) {
        event.preventDefault();
        this.submit();
      }
    });
    this.reset();
  }

  items() {
    return this.list ? $$(":scope > li", this.list) : [];
  }

  // A fresh attempt: nothing picked, options in a new order, answer and solution out of sight.
  reset() {
    $$("input", this.fieldset).forEach((input) => {
      input.checked = false;
      if (input.type === "text") input.value = "";
    });
    this.locked = false; // checked in a test run: no second check until the next run
    this.fieldset.disabled = false;
    this.check.hidden = false;
    this.feedback.textContent = "";
    this.given = "";
    delete this.li.dataset.result;
    $$("[data-mark]", this.li).forEach((el) => el.removeAttribute("data-mark"));
    this.reveal.forEach((details) => {
      details.open = false;
      details.hidden = true;
    });
    if (!this.list) return;
    const items = this.items();
    if (this.type === "ordering") {
      shuffle(items);
      // Already solved by chance: a rotation never is.
      if (items.every((item, i) => +item.dataset.orderItem === i)) items.push(items.shift());
      this.list.append(...items);
      this.updateMoves();
      return;
    }
    this.list.append(...shuffle(items));
    const shown = {};
    items.forEach((item, i) => (shown[item.dataset.optionIndex] = i));
    this.letters.forEach(([span, index, rest]) => {
      span.textContent = String.fromCharCode(65 + shown[index]) + rest;
    });
    const wrong = $(".quiz-question__wrong", this.li);
    const why = (el) => shown[el.dataset.explanationFor];
    if (wrong) wrong.append(...$$("[data-explanation-for]", wrong).sort((a, b) => why(a) - why(b)));
  }

  showPrevious(ok) {
    this.previous.hidden = ok === undefined;
    this.previous.dataset.result = ok ? "correct" : "incorrect";
    this.previous.textContent = ok
      ? "You answered this correctly before."
      : "Last time, this answer was not right.";
  }

  updateMoves() {
    const items = this.items();
    items.forEach((item, i) => {
      const [up, down] = $$("[data-move]", item);
      up.disabled = i === 0;
      down.disabled = i === items.length - 1;
    });
  }

  move(target) {
    const item = target.closest("li");
    const dir = +target.dataset.move;
    const sibling = dir < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    sibling[dir < 0 ? "before" : "after"](item);
    this.updateMoves();
    // Focus follows the item; at either end its other button takes over.
    (target.disabled ? $(`[data-move="${-dir}"]`, item) : target).focus();
    const items = this.items();
    const place = `position ${items.indexOf(item) + 1} of ${items.length}`;
    this.say(`${textOf(".quiz-ordering__text", item)}: ${place}.`);
  }

  say(...lines) {
    this.feedback.replaceChildren(...lines.filter(Boolean).map((line) => h("p", {}, line, " ")));
  }

  label(option) {
    return words($("label", option).textContent).replace(/\.$/, "");
  }

  why(option) {
    const el = $(`[data-explanation-for="${option.dataset.optionIndex}"]`, this.li);
    return el ? words(el.textContent) : this.label(option);
  }

  // [right?, feedback lines], or nothing when there is no answer to check yet.
  grade() {
    const items = this.items();
    if (this.type === "ordering") {
      const placed = items.filter((item, i) => {
        item.dataset.mark = +item.dataset.orderItem === i ? "correct" : "wrong";
        return item.dataset.mark === "correct";
      }).length;
      this.given = items.map((item) => textOf(".quiz-ordering__text", item)).join(" → ");
      const count = `${placed} of ${items.length}`;
      return [placed === items.length, `${count} steps are in the right place.`];
    }
    if (this.type === "short-answer") {
      const value = words($("[data-quiz-text-answer]", this.li).value);
      if (!value) return this.say("Type an answer first.");
      this.given = value;
      const accepted = $$("[data-accepted-answer]", this.li).map((el) => words(el.textContent));
      const ok = accepted.includes(value);
      return [ok, !ok && `“${value}” is not one of the accepted answers.`];
    }
    const picked = items.filter((item) => $("input", item).checked);
    if (!picked.length) return this.say("Choose an answer first.");
    this.given = picked.map((item) => this.label(item)).join("; ");
    items.forEach((item) => {
      const right = item.dataset.correct === "true";
      const chosen = picked.includes(item);
      if (right || chosen) item.dataset.mark = right ? (chosen ? "correct" : "missed") : "wrong";
      else delete item.dataset.mark; // left over from an earlier check
    });
    const wrong = picked.filter((item) => item.dataset.correct !== "true");
    const missed = items.filter((item) => item.dataset.mark === "missed");
    const whys = wrong.map((item) => this.why(item)).join(" ");
    if (this.type === "single-choice") return [!wrong.length, whys];
    return [
      !wrong.length && !missed.length,
      missed.length && `You missed: ${missed.map((item) => this.label(item)).join("; ")}.`,
      wrong.length && `Wrong ${wrong.length > 1 ? "picks" : "pick"}: ${whys}`
    ];
  }

  submit() {
    if (this.locked) return;
    const result = this.grade();
    if (!result) return;
    const [ok, ...lines] = result;
    this.li.dataset.result = ok ? "correct" : "incorrect";
    this.say(ok ? "Correct." : "Not right.", ...lines, "The answer and its explanation are below.");
    this.previous.hidden = true;
    this.reveal.forEach((details) => (details.hidden = false));
    this.quiz.checked(this, ok);
  }
}

/* "Test this pattern": one question at a time ------------------------------------------------ */

class Test {
  constructor(quiz) {
    this.quiz = quiz;
    const root = quiz.root;
    this.list = $(".quiz__questions", root);
    this.length = +root.dataset.testLength || 10;
    const levels = LEVELS.filter((level) => quiz.questions.some((q) => q.level === level));
    this.select = h(
      "select",
      { className: "quiz-test__select" },
      h("option", { value: "" }, "All difficulties"),
      ...levels.map((level) => h("option", { value: level }, capital(level)))
    );
    this.intro = h("p");
    this.start = h(
      "div",
      { className: "quiz-test__start" },
      this.intro,
      h("label", { className: "quiz-test__filter" }, "Difficulty ", this.select),
      button("Start the test", "md-button md-button--primary", { "data-action": "begin" })
    );
    this.progress = h("progress", {
      className: "quiz-test__progress",
      "aria-label": "Test progress"
    });
    this.nextButton = button("", "md-button md-button--primary", { "data-action": "advance" });
    this.nav = h("div", { className: "quiz-test__nav" }, this.nextButton);
    this.summary = h("div", { className: "quiz-test__summary", role: "status" });
    this.heading = h("h3", { tabIndex: -1 }, "Your result");
    this.review = h("div", { className: "quiz-test__review" });
    this.result = h(
      "section",
      { className: "quiz-test__result", "aria-label": "Test result" },
      this.heading,
      this.summary,
      this.review,
      h(
        "p",
        { className: "quiz-test__again" },
        button("Retry the test", "md-button md-button--primary", { "data-action": "begin" }),
        " ",
        button("Change difficulty", "md-button", { "data-action": "home" })
      )
    );
    this.list.before(this.start, this.progress);
    this.list.after(this.nav, this.result);
    root.classList.add("quiz--test");
    root.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]");
      if (action) this[action.dataset.action]();
    });
    this.select.addEventListener("change", () => this.describe());
    this.home();
  }

  pool() {
    const level = this.select.value;
    return this.quiz.questions.filter((q) => !level || q.level === level);
  }

  describe() {
    const pool = this.pool().length;
    const level = this.select.value ? ` ${this.select.value}` : "";
    this.intro.textContent =
      `${Math.min(this.length, pool)} questions, one at a time, drawn from ${pool}${level} ` +
      "questions. Each is checked before the next.";
  }

  show(...parts) {
    for (const part of [this.start, this.progress, this.list, this.nav, this.result]) {
      part.hidden = !parts.includes(part);
    }
  }

  home() {
    this.run = null;
    this.summary.textContent = "";
    this.describe();
    this.show(this.start);
  }

  // Round robin over the difficulties, so a run is balanced across them; easy ones come first.
  begin() {
    const pool = this.pool();
    const count = Math.min(this.length, pool.length);
    const groups = shuffle(LEVELS.map((level) => shuffle(pool.filter((q) => q.level === level))));
    const run = [];
    while (run.length < count) {
      groups.forEach((group) => group.length && run.length < count && run.push(group.pop()));
    }
    run.sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level));
    this.quiz.questions.forEach((q) => (q.li.hidden = true));
    run.forEach((q) => q.reset());
    this.run = run;
    this.results = [];
    this.summary.textContent = "";
    this.progress.max = count;
    this.show(this.progress, this.list, this.nav);
    this.step(0);
  }

  step(index) {
    this.index = index;
    this.run.forEach((q, i) => (q.li.hidden = i !== index));
    const { li } = this.run[index];
    $(".quiz-question__number", li).textContent = `Question ${index + 1} of ${this.run.length}`;
    this.progress.value = index;
    this.nextButton.hidden = true;
    li.tabIndex = -1;
    li.focus();
  }

  // The first check is the one that counts: a question scores once per run, however often a
  // script clicks its (hidden) button.
  checked(q, ok) {
    if (!this.run || q !== this.run[this.index] || this.results.some((r) => r.q === q)) return;
    this.results.push({ q, ok });
    q.locked = true;
    q.fieldset.disabled = true;
    q.check.hidden = true;
    this.progress.value = this.index + 1;
    const last = this.index + 1 === this.run.length;
    this.nextButton.textContent = last ? "See your result" : "Next question";
    this.nextButton.hidden = false;
    this.nextButton.focus();
  }

  // Only once the question shown has been checked (a script may click the hidden button).
  advance() {
    if (!this.run || this.results.length <= this.index) return;
    if (this.index + 1 < this.run.length) return this.step(this.index + 1);
    const score = this.results.filter((r) => r.ok).length;
    const total = this.run.length;
    recordTest(this.quiz.lesson, score, total);
    const best = progress(this.quiz.lesson).best;
    const levels = LEVELS.map((level) => {
      const mine = this.results.filter((r) => r.q.level === level);
      return mine.length && `${capital(level)} ${mine.filter((r) => r.ok).length}/${mine.length}`;
    }).filter(Boolean);
    this.summary.replaceChildren(
      h("p", { className: "quiz-test__score" }, `You scored ${score} of ${total}.`),
      h("p", {}, `By difficulty: ${levels.join(", ")}.`),
      ...(best ? [h("p", {}, `Your best score: ${best.score}/${best.total}.`)] : [])
    );
    const wrong = this.results.filter((r) => !r.ok);
    this.review.replaceChildren(
      h("h4", {}, wrong.length ? "Review your wrong answers" : "No wrong answers to review"),
      ...(wrong.length ? [h("ol", {}, ...wrong.map(({ q }) => this.reviewItem(q)))] : [])
    );
    this.run = null;
    this.show(this.result);
    this.heading.focus();
  }

  reviewItem(q) {
    const copy = (selector) => $$(selector, q.li).map((el) => el.cloneNode(true));
    const why = $$("[data-mark=wrong] input", q.li).flatMap((input) =>
      copy(`[data-explanation-for="${input.value}"]`)
    );
    return h(
      "li",
      {},
      h("p", { className: "quiz-test__prompt" }, ...copy(".quiz-question__prompt")),
      h("p", {}, `Your answer: ${q.given}`),
      ...copy(
        ":scope > [data-quiz-answer] > :is(.quiz-question__correct, [data-correct-order], " +
          "[data-quiz-explanation])"
      ),
      ...(why.length ? [h("ul", {}, ...why)] : [])
    );
  }
}

/* Widgets ----------------------------------------------------------------------------------- */

export class Quiz {
  constructor(root) {
    this.root = root;
    this.lesson = root.dataset.lesson;
  }

  init() {
    this.questions = $$(".quiz-question", this.root).map((li) => new Question(li, this));
    if (this.root.dataset.quiz === "test_bank") this.test = new Test(this);
    this.update(this.lesson, false);
    watchers.add(this);
    this.root.classList.add("quiz--enhanced");
  }

  update(lesson, reset) {
    if (lesson !== this.lesson) return;
    const { answers } = progress(lesson);
    this.questions.forEach((q) => {
      if (reset) q.reset();
      if (reset || !q.li.dataset.result) q.showPrevious(answers[q.id]);
    });
    if (reset && this.test) this.test.home();
  }

  checked(q, ok) {
    record(this.lesson, q.id, ok);
    if (this.test) this.test.checked(q, ok);
  }
}

export class LessonProgress {
  constructor(root) {
    this.root = root;
    this.lesson = root.dataset.lesson;
    this.total = +root.dataset.questionCount || 0;
  }

  init() {
    this.text = h("p", { className: "lesson-progress__text" });
    this.root.append(this.text);
    // The catalog cards only report; resetting belongs to the lesson itself.
    if (!this.root.closest(".lesson-card")) {
      this.status = h("span", { className: "lesson-progress__status", role: "status" });
      const reset = button("Reset progress", "md-button lesson-progress__reset");
      reset.addEventListener("click", () => save(this.lesson, { answers: {}, best: null }, true));
      this.root.append(h("p", { className: "lesson-progress__actions" }, reset, " ", this.status));
    }
    watchers.add(this);
    this.update(this.lesson, false);
    this.root.hidden = false;
  }

  update(lesson, reset) {
    if (lesson !== this.lesson) return;
    const { answers, best } = progress(lesson, this.total);
    const right = Math.min(Object.values(answers).filter((ok) => ok === true).length, this.total);
    this.text.textContent =
      `Your progress: ${right} of ${this.total} questions answered correctly` +
      (best ? ` · best test score ${best.score}/${best.total}` : "");
    if (this.status) this.status.textContent = reset ? "Progress reset." : "";
  }
}
