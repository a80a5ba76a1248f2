/*
 * Quizzes and lesson progress. An ES module that site.js imports only on pages that have a
 * `data-module="quiz"` or `data-module="lesson-progress"` element, together with quiz.css.
 *
 * Every question reads in full without this file (answers in <details>); the script adds the
 * Check button, feedback in a live region, shuffling, the one-question-at-a-time test and
 * progress kept in localStorage. Module state outlives Material's instant navigation, so the
 * saved progress is read once per lesson and shared by every widget on every page.
 *
 * Saved progress, one JSON object per lesson under KEY + lesson id:
 *   answers: { id: true | false }      whether the last check of each question was right
 *   best:    { score, total } | null   the best run of the lesson's test (its own page)
 *   given:   { id: answer }            what was last checked in the visual quiz and practice:
 *            { picked: [option indexes], shown: [option indexes in the order shown] },
 *            { order: [item indexes in the order placed] } or { text: "what was typed" }
 * Indexes are data-option-index and data-order-item, the lesson's source order. A reload shows
 * those questions as they were checked; test runs always start afresh. Progress saved before
 * `given` existed has only `answers`, read as before.
 */

import { $, $$, h, words } from "./dom.js";

const KEY = "mlops-visual-patterns:v1:";
const LEVELS = ["easy", "medium", "hard"];
const TEXT_MAX = 500; // the longest typed answer kept (an accepted answer has at most 500)
const INDEX_MAX = 50; // more options or items than any question may have

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
 * boolean, a given answer of the wrong shape, or a best score that could not come from this
 * lesson's test, is dropped on its own; the rest stays. What the page shows counts only the
 * lesson's own questions, and a given answer is restored only if it fits its question.
 */

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (n) => Number.isSafeInteger(n) && n >= 0;
const isIndexes = (v) =>
  Array.isArray(v) && v.length <= INDEX_MAX && v.every(isCount) && new Set(v).size === v.length;
const hasKeys = (v, ...keys) =>
  Object.keys(v).length === keys.length && keys.every((key) => Object.hasOwn(v, key));

// The shape of a given answer; whether it fits its question is Question.fits's to say.
const validGiven = (v) =>
  isObject(v) &&
  ((hasKeys(v, "picked", "shown") && isIndexes(v.picked) && isIndexes(v.shown)) ||
    (hasKeys(v, "order") && isIndexes(v.order)) ||
    (hasKeys(v, "text") && typeof v.text === "string" && v.text.length <= TEXT_MAX));

// A test's score: `runs`, where known, holds every length a run of the lesson's test can have.
const validBest = (best, runs = null) =>
  isObject(best) &&
  isCount(best.score) &&
  isCount(best.total) &&
  best.total > 0 &&
  (!runs || runs.has(best.total)) &&
  best.score <= best.total;

// No prototype: an id such as "__proto__" or "constructor" is a key like any other.
const table = (entries = []) => Object.assign(Object.create(null), Object.fromEntries(entries));

function sanitise(data) {
  const answers = isObject(data) && isObject(data.answers) ? data.answers : {};
  const given = isObject(data) && isObject(data.given) ? data.given : {};
  const best = isObject(data) && validBest(data.best) ? data.best : null;
  return {
    answers: table(Object.entries(answers).filter(([, ok]) => typeof ok === "boolean")),
    given: table(Object.entries(given).filter(([, value]) => validGiven(value))),
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

// How many questions a run asks: the test's length, or the whole pool when it has fewer.
const testLength = (root) => +root.dataset.testLength || 10;
const runSize = (length, pool) => Math.min(length, pool);

// Every length a run can have, given the difficulty of each of the test's questions: the test
// page draws from all of them, or from those of the one difficulty the reader picks.
function runLengths(length, levels) {
  const pools = [levels.length, ...LEVELS.map((level) => levels.filter((l) => l === level).length)];
  return new Set(pools.filter(Boolean).map((pool) => runSize(length, pool)));
}

// Lengths from one to `length`: all that can be checked where the lesson's runs are not known.
const upTo = (length) => new Set(Array.from({ length }, (_, i) => i + 1));

// What the pages say about a lesson: its question ids, those whose answers are restored, and
// the lengths its test runs can have. Every quiz carries the ids for the whole lesson
// (render.quiz), since its questions are on two pages, and so does every progress line, the
// home page's cards included (render.progress_widget), with the run lengths; the test page
// counts those from its own questions, as Test draws them. So a card checks a record as the
// lesson page does. They are remembered for the rest of the visit.
const facts = new Map();
const idsIn = (value) => new Set((value || "").split(" ").filter(Boolean));

function limits(lesson) {
  const here = $$("[data-lesson][data-lesson-questions]", document).filter(
    (el) => el.dataset.lesson === lesson
  );
  if (here.length) {
    const read = (key) => here.find((el) => el.dataset[key] !== undefined)?.dataset[key];
    facts.set(lesson, {
      ids: idsIn(read("lessonQuestions")),
      kept: idsIn(read("keptQuestions")),
      runs: runsIn(here, read)
    });
  }
  return facts.get(lesson);
}

// From the test's own questions where they are on the page, else as the page lists them.
function runsIn(here, read) {
  const bank = here.find((el) => el.dataset.quiz === "test_bank");
  if (bank) {
    const levels = $$(".quiz-question", bank).map((li) => li.dataset.difficulty);
    return runLengths(testLength(bank), levels);
  }
  const listed = read("testRuns");
  if (listed !== undefined) return new Set([...idsIn(listed)].map(Number));
  return upTo(+read("testLength") || 0);
}

// Entries of `record` whose id is in `ids` (all of them when the lesson's questions are unknown).
const own = (ids, record) => table(Object.entries(record).filter(([id]) => !ids || ids.has(id)));

// The lesson's progress as shown: `answers` of its own questions only, `given` of those that
// restore it, `best` only if a run of the lesson's test could have scored it.
function progress(lesson) {
  const { answers, given, best } = load(lesson);
  const known = limits(lesson);
  return {
    answers: own(known?.ids, answers),
    given: own(known?.kept, given),
    best: validBest(best, known?.runs) ? best : null
  };
}

// Where the lesson's questions are known, only theirs are written back.
function save(lesson, data, reset) {
  const known = limits(lesson);
  const best = !known || validBest(data.best, known.runs) ? data.best : null;
  data = { answers: own(known?.ids, data.answers), given: own(known?.kept, data.given), best };
  memory.set(lesson, data);
  try {
    if (reset) storage().removeItem(KEY + lesson);
    else storage().setItem(KEY + lesson, JSON.stringify(data));
  } catch {
    // full or disabled: this visit keeps the progress in memory
  }
  watchers.forEach((w) => (w.root.isConnected ? w.update(lesson, reset) : watchers.delete(w)));
}

const without = (record, id) => Object.entries(record).filter(([key]) => key !== id);

// A check's result, and what was given (null: nothing to restore, as for a test's answers).
function record(lesson, id, ok, given = null) {
  const data = load(lesson);
  save(lesson, {
    ...data,
    answers: table([...without(data.answers, id), [id, ok]]),
    given: table([...without(data.given, id), ...(given ? [[id, given]] : [])])
  });
}

// What was given for a question is forgotten; whether it was right is kept. Unwritten, the
// next save writes it.
function forget(lesson, id, write = true) {
  const data = { ...load(lesson), given: table(without(load(lesson).given, id)) };
  if (write) save(lesson, data);
  else memory.set(lesson, data);
}

// The best score is the best ratio; of equal ratios, the longer test.
const rank = (r) => (r ? r.score / r.total + r.total * 1e-6 : -1);

function recordTest(lesson, score, total) {
  const best = { score, total };
  if (!validBest(best, limits(lesson)?.runs)) return; // never an impossible score
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
// Only the blanks a shell splits at (String#trim and \s take no-break and other spaces too):
// a command typed with another space is kept as typed, for the judge to say why it is wrong.
const BLANKS = /[ \t\n]+/g;
const trimBlanks = (text) => text.replace(/^[ \t\n]+|[ \t\n]+$/g, "");

const button = (text, className = "md-button", props = {}) =>
  h("button", { type: "button", className, ...props }, text);

function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/* The command judge ------------------------------------------------------------------------- */

// command.js weighs two thirds as much as this file, and only questions marked
// `judge: command` need it: it is fetched when a reader starts on such a question (focus),
// checks one, or has a saved answer to one put back; never at load. If it cannot be fetched, commands are compared as text, as
// questions without `data-judge` always are, and the page carries on.
const commandJudge = { module: null, failed: false, loading: null };

function loadCommandJudge() {
  commandJudge.loading ||= import("./command.js").then(
    (module) => (commandJudge.module = module),
    (error) => {
      commandJudge.failed = true;
      console.error("quiz.js: could not load command.js; commands are compared as text", error);
    }
  );
  return commandJudge.loading; // never rejects
}

/* One question ------------------------------------------------------------------------------ */

// A reason from command.js as text, with its code as <code>.
function reasonText(reason) {
  const line = document.createDocumentFragment();
  const code = (part) => (typeof part === "string" ? part : h("code", {}, part.code));
  line.append(...reason.map(code));
  return line;
}

// `list` holds each of `values` once, in any order.
const isOrderOf = (list, values) =>
  list.length === values.length && values.every((value) => list.includes(value));

class Question {
  constructor(li, quiz) {
    this.li = li;
    this.quiz = quiz;
    this.id = li.dataset.questionId;
    this.type = li.dataset.questionType;
    this.level = li.dataset.difficulty;
    this.fieldset = $("fieldset", li);
    this.list = $(".quiz-question__options, [data-quiz-ordering]", li);
    this.field = $("[data-quiz-text-answer]", li);
    this.judged = Boolean(this.field) && this.field.dataset.judge === "command";
    this.reveal = $$(":scope > [data-quiz-answer], :scope > [data-quiz-solution]", li);
    this.check = button("Check answer", "md-button md-button--primary");
    this.feedback = h("div", { className: "quiz-question__feedback", role: "status" });
    // "Try again" and the line about a previous answer are made when first needed: most
    // questions never need them, and every element counts on a long page.
    this.again = null;
    this.previous = null;
    const actions = h(
      "div",
      { className: "quiz-question__actions" },
      this.check,
      this.feedback
    );
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
      if (!target) return; // (`this.again` is null until it is first needed)
      if (target === this.check) this.submit();
      else if (target === this.again) this.retry();
      else if (target.dataset.move) this.move(target);
    });
    if (this.judged) this.field.addEventListener("focus", loadCommandJudge, { once: true });
    li.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.matches("[data-quiz-text-answer]")) {
        event.preventDefault();
        this.submit();
      }
    });
    this.reset();
  }

  items() {
    return this.list ? $$(":scope > li, :scope > .quiz-option", this.list) : [];
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
    if (this.again) this.again.hidden = true;
    this.feedback.textContent = "";
    this.given = "";
    delete this.li.dataset.result;
    $$("[data-mark]", this.li).forEach((el) => el.removeAttribute("data-mark"));
    this.reveal.forEach((details) => {
      details.open = false;
      details.hidden = true;
    });
    if (!this.list) return;
    const items = shuffle(this.items());
    // Steps already in order by chance: a rotation never is.
    const solved = items.every((item, i) => +item.dataset.orderItem === i);
    if (this.type === "ordering" && solved) items.push(items.shift());
    this.arrange(items);
  }

  // Shows the options or steps in this order; the why-wrong list follows it (the letters are
  // site.css's counters, so they follow by themselves).
  arrange(items) {
    this.list.append(...items);
    if (this.type === "ordering") return this.updateMoves();
    const shown = {};
    items.forEach((item, i) => (shown[item.dataset.optionIndex] = i));
    const wrong = $(".quiz-question__wrong", this.li);
    const why = (el) => shown[el.dataset.explanationFor];
    if (wrong) wrong.append(...$$("[data-explanation-for]", wrong).sort((a, b) => why(a) - why(b)));
  }

  showPrevious(ok) {
    if (ok === undefined) {
      if (this.previous) this.previous.hidden = true;
      return;
    }
    if (!this.previous) {
      this.previous = h("p", { className: "quiz-question__previous" });
      this.fieldset.before(this.previous);
    }
    this.previous.hidden = false;
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
    return words(option.textContent).replace(/\.$/, "");
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
    if (this.type === "short-answer") return this.gradeText();
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

  // Text: equal to an accepted answer once white space is folded. A command (data-judge):
  // the same command as the answer, the first accepted one, however it is written.
  gradeText() {
    const typed = trimBlanks(this.field.value);
    const value = words(typed);
    if (!value) return this.say("Type an answer first.");
    this.given = value;
    const accepted = $$("[data-accepted-answer]", this.li).map((el) => words(el.textContent));
    const listed = accepted.includes(value);
    if (this.judged && commandJudge.module && accepted.length) {
      const engines = words(this.field.dataset.engines || "docker").split(" ");
      const verdict = commandJudge.module.judge(typed, accepted[0], engines);
      // A listed answer is right whatever the judge says, but only as a shell reads it.
      const ok = verdict && (verdict.ok || accepted.includes(typed.replace(BLANKS, " ")));
      // null: the page's answer is not a command the judge reads, so it is judged as text
      if (verdict) return [ok, !ok && reasonText(verdict.reason)];
    }
    return [listed, !listed && `“${value}” is not one of the accepted answers.`];
  }

  // A command question is judged only once command.js has arrived, or has failed to.
  waitsForJudge() {
    return this.judged && !commandJudge.module && !commandJudge.failed;
  }

  submit() {
    if (this.locked) return;
    if (this.waitsForJudge()) return void loadCommandJudge().then(() => this.submit());
    const result = this.grade();
    if (!result) return;
    this.show(result);
    this.quiz.checked(this, result[0]);
  }

  // The verdict, with the answer and solution ready to open.
  show([ok, ...lines]) {
    this.li.dataset.result = ok ? "correct" : "incorrect";
    this.say(ok ? "Correct." : "Not right.", ...lines, "The answer and its explanation are below.");
    if (this.previous) this.previous.hidden = true;
    // A test run has no second try: only the visual quiz and practice get the button.
    if (this.quiz.keeps) {
      if (!this.again) this.check.after((this.again = button("Try again", "md-button")));
      this.again.hidden = false;
    }
    this.reveal.forEach((details) => (details.hidden = false));
  }

  // What was given, to save; null when there is nothing worth restoring.
  answer() {
    const index = (item, key) => +item.dataset[key];
    const items = this.items();
    if (this.type === "ordering") return { order: items.map((item) => index(item, "orderItem")) };
    if (this.type === "short-answer") {
      const text = trimBlanks(this.field.value);
      return text && text.length <= TEXT_MAX ? { text } : null;
    }
    return {
      picked: items.filter((item) => $("input", item).checked).map((i) => index(i, "optionIndex")),
      shown: items.map((item) => index(item, "optionIndex"))
    };
  }

  // Whether a saved answer fits this question as it is on the page now.
  fits(saved) {
    const items = this.items();
    const indexes = (key) => items.map((item) => +item.dataset[key]);
    if (this.type === "ordering") {
      return Boolean(saved.order) && isOrderOf(saved.order, indexes("orderItem"));
    }
    if (this.type === "short-answer") return typeof saved.text === "string" && !!saved.text.trim();
    const options = indexes("optionIndex");
    const { picked, shown } = saved;
    if (!picked || !isOrderOf(shown, options) || !picked.every((i) => options.includes(i))) {
      return false;
    }
    return this.type === "single-choice" ? picked.length === 1 : picked.length > 0;
  }

  // The saved answer put back and checked again, without counting: the marks and feedback are
  // those of its check. Its verdict, or null when it does not fit (the question stays fresh).
  restore(saved) {
    if (!this.fits(saved)) return null;
    const items = this.items();
    const by = (key, i) => items.find((item) => +item.dataset[key] === i);
    if (saved.order) this.arrange(saved.order.map((i) => by("orderItem", i)));
    else if (saved.shown) {
      this.arrange(saved.shown.map((i) => by("optionIndex", i)));
      items.forEach((item) => {
        $("input", item).checked = saved.picked.includes(+item.dataset.optionIndex);
      });
    } else this.field.value = saved.text;
    const result = this.grade();
    if (!result) return null;
    this.show(result);
    return result[0];
  }

  // A fresh attempt at a checked question: whether it was right is remembered, not the answer.
  retry() {
    this.reset();
    this.quiz.retried(this);
    const first = $$("input, button", this.fieldset).find((el) => !el.disabled);
    if (first) first.focus();
  }
}

/* The test, on its own page: one question at a time --------------------------------------- */

class Test {
  constructor(quiz) {
    this.quiz = quiz;
    const root = quiz.root;
    this.list = $(".quiz__questions", root);
    this.length = testLength(root);
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
    this.heading = h("h2", { tabIndex: -1 }, "Your result");
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
      `${runSize(this.length, pool)} questions, one at a time, drawn from ${pool}${level} ` +
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
    const count = runSize(this.length, pool.length);
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
      h("h3", {}, wrong.length ? "Review your wrong answers" : "No wrong answers to review"),
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
        ":scope > [data-quiz-answer] > :is(.quiz-question__correct, " +
          ".quiz-question__correct-options, [data-correct-order], [data-quiz-explanation])"
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
    // The visual quiz and practice keep what was answered; a test run always starts afresh.
    this.keeps = this.root.dataset.quiz !== "test_bank";
    this.questions = $$(".quiz-question", this.root).map((li) => new Question(li, this));
    if (!this.keeps) this.test = new Test(this);
    this.update(this.lesson, false);
    watchers.add(this);
    this.root.classList.add("quiz--enhanced");
  }

  update(lesson, reset) {
    if (lesson !== this.lesson) return;
    const { answers, given } = progress(lesson);
    const changed = [];
    let waiting = false; // a saved command answer, put back once the judge is here
    this.questions.forEach((q) => {
      if (reset) q.reset();
      else if (q.li.dataset.result) return;
      if (this.keeps && given[q.id] && q.waitsForJudge()) return void (waiting = true);
      const ok = this.keeps && given[q.id] ? this.restore(q, given[q.id]) : null;
      if (ok === null) q.showPrevious(answers[q.id]);
      else if (ok !== answers[q.id]) changed.push([q, ok]); // the lesson's answer has changed
    });
    if (reset && this.test) this.test.home();
    changed.forEach(([q, ok]) => record(lesson, q.id, ok, given[q.id]));
    if (waiting) loadCommandJudge().then(() => this.update(lesson, false));
  }

  // One question's saved answer, on its own: one that does not fit is forgotten.
  restore(q, saved) {
    let ok = null;
    try {
      ok = q.restore(saved);
    } catch (error) {
      console.warn(`quiz.js: could not restore the answer to ${q.id}`, error);
    }
    if (ok === null) {
      q.reset();
      forget(this.lesson, q.id, false);
    }
    return ok;
  }

  checked(q, ok) {
    record(this.lesson, q.id, ok, this.keeps ? q.answer() : null);
    if (this.test) this.test.checked(q, ok);
  }

  retried(q) {
    forget(this.lesson, q.id);
  }
}

export class LessonProgress {
  constructor(root) {
    this.root = root;
    this.lesson = root.dataset.lesson;
    this.total = +root.dataset.questionCount || 0;
  }

  init() {
    // The page has the lines already (render.progress_widget), so that it keeps room for them.
    this.text = $(".lesson-progress__text", this.root);
    if (!this.text) this.root.append((this.text = h("p", { className: "lesson-progress__text" })));
    // The catalog cards only report; resetting belongs to the lesson itself.
    if (!this.root.closest(".lesson-card")) {
      this.status = $(".lesson-progress__status", this.root);
      let reset = $(".lesson-progress__reset", this.root);
      if (!reset || !this.status) {
        this.status = h("span", { className: "lesson-progress__status", role: "status" });
        reset = button("Reset progress", "md-button lesson-progress__reset");
        this.root.append(h("p", { className: "lesson-progress__actions" }, reset, " ", this.status));
      }
      reset.addEventListener("click", () =>
        save(this.lesson, { answers: {}, given: {}, best: null }, true)
      );
    }
    watchers.add(this);
    this.update(this.lesson, false);
    this.root.hidden = false;
  }

  update(lesson, reset) {
    if (lesson !== this.lesson) return;
    const { answers, best } = progress(lesson);
    const right = Math.min(Object.values(answers).filter((ok) => ok === true).length, this.total);
    this.text.textContent =
      `Your progress: ${right} of ${this.total} questions answered correctly` +
      (best ? ` · best test score ${best.score}/${best.total}` : "");
    if (this.status) this.status.textContent = reset ? "Progress reset." : "";
  }
}
