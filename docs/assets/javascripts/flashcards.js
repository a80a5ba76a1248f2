/*
 * Flashcards: one card at a time, recall first, then the answer. An ES module that site.js
 * imports only on pages with a `data-module="flashcards"` element, together with flashcards.css.
 *
 * Without this file every card is listed with its answer in a closed <details>. The script deals
 * the same cards in page order and opens each card's <details> as its back. "Knew it" takes a
 * card out of the sitting; "Didn't know it" puts it back a few cards later, so a missed card
 * returns sooner than a whole new pass would bring it. Nothing is stored: leaving the page ends
 * the sitting, and coming back (instant navigation included) deals a fresh deck.
 */

import { $, $$, h, words } from "./dom.js";

const AGAIN = 3; // a missed card comes back after this many other cards, or last if fewer remain

const button = (text, action, primary) =>
  h(
    "button",
    {
      type: "button",
      className: primary ? "md-button md-button--primary" : "md-button",
      "data-action": action
    },
    text
  );

export class Flashcards {
  constructor(root) {
    this.root = root;
  }

  init() {
    const root = this.root;
    this.list = $(".flashcards__cards", root);
    this.cards = $$(".flashcard", this.list).map((li, i) => {
      const back = $(".flashcard__back", li);
      back.id = back.id || `${li.id || `flashcard-${i}`}-answer`;
      const front = $(".flashcard__front", li);
      const answer = [...back.childNodes]
        .filter((node) => node.nodeName !== "SUMMARY")
        .map((node) => node.textContent);
      const text = words(front.textContent);
      return { li, back, front, text, answer: words(answer.join("")), number: i + 1, misses: 0 };
    });
    if (!this.cards.length) throw new Error("flashcards: no cards");
    this.status = h("p", { className: "flashcards__status" });
    this.progress = h("progress", {
      className: "flashcards__progress",
      max: this.cards.length,
      "aria-label": "Cards known"
    });
    // One set of controls under the card, so focus has one place to return to.
    this.flipButton = button("Show answer", "flip", true);
    this.knewButton = button("Knew it", "knew", true);
    this.missButton = button("Didn't know it", "miss");
    this.actions = h(
      "div",
      { className: "flashcards__actions" },
      this.flipButton,
      this.knewButton,
      this.missButton
    );
    this.heading = h("h3", { tabIndex: -1 }, "End of the deck");
    this.result = h("div");
    this.end = h(
      "section",
      { className: "flashcards__end", "aria-label": "Flashcards result" },
      this.heading,
      this.result,
      h("p", {}, button("Start again", "start", true))
    );
    // Empty until the reader acts, so loading the page announces nothing.
    this.live = h("p", { className: "flashcards__live visually-hidden", role: "status" });
    this.list.before(this.status, this.progress);
    this.list.after(this.actions, this.end, this.live);
    root.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]");
      if (action && root.contains(action)) this[action.dataset.action]();
    });
    this.start(true);
    root.classList.add("flashcards--enhanced");
  }

  // A new sitting: every card, in page order.
  start(quiet) {
    this.cards.forEach((card) => (card.misses = 0));
    this.queue = [...this.cards];
    this.deal(quiet);
  }

  deal(quiet) {
    const { cards, queue } = this;
    const card = queue[0];
    cards.forEach((c) => (c.li.hidden = c !== card));
    this.list.hidden = this.actions.hidden = this.status.hidden = !card;
    this.end.hidden = !!card;
    const known = (this.progress.value = cards.length - queue.length);
    if (!card) return this.finish();
    card.back.open = false;
    delete card.li.dataset.side;
    this.flipButton.hidden = false;
    this.flipButton.setAttribute("aria-expanded", "false");
    this.flipButton.setAttribute("aria-controls", card.back.id);
    this.knewButton.hidden = this.missButton.hidden = true;
    const label = `Card ${card.number} of ${cards.length}${card.misses ? ", again" : ""}`;
    const review = queue.filter((c) => c.misses).length;
    this.status.textContent = [label, `${known} known`, review && `${review} to review again`]
      .filter(Boolean)
      .join(" · ");
    if (quiet) return;
    this.say(`${label}: ${card.text}`);
    this.flipButton.focus();
  }

  flip() {
    const card = this.queue[0];
    card.back.open = true;
    card.li.dataset.side = "back";
    this.flipButton.setAttribute("aria-expanded", "true");
    this.flipButton.hidden = true;
    this.knewButton.hidden = this.missButton.hidden = false;
    // Focus moves on to the verdict, past the answer: read the answer out instead.
    this.say(`Answer: ${card.answer}`);
    this.knewButton.focus();
  }

  knew() {
    this.queue.shift();
    this.deal();
  }

  miss() {
    const card = this.queue.shift();
    card.misses++;
    this.queue.splice(Math.min(AGAIN, this.queue.length), 0, card);
    this.deal();
  }

  finish() {
    const all = this.cards.length;
    const missed = this.cards.filter((c) => c.misses);
    const score = missed.length
      ? `You knew ${all - missed.length} of ${all} on the first try; ` +
        `${missed.length} needed another look.`
      : `You knew all ${all} on the first try.`;
    // The fronts as written, inline code and all.
    const fronts = missed.map((c) =>
      h(
        "li",
        {},
        ...[...c.front.childNodes].map((node) => node.cloneNode(true)),
        c.misses > 1 ? ` (missed ${c.misses} times)` : ""
      )
    );
    this.result.replaceChildren(
      h("p", { className: "flashcards__score" }, score),
      ...(missed.length ? [h("p", {}, "Worth another look:"), h("ul", {}, ...fronts)] : [])
    );
    this.say(score);
    this.heading.focus();
  }

  say(text) {
    this.live.textContent = text;
  }
}
