/*
 * Small DOM helpers shared by the lazily loaded widgets (quiz, flashcards, step-through,
 * learning modes). An ES module: the browser fetches it once, with the first widget that
 * imports it.
 */

export const $ = (selector, el) => el.querySelector(selector);
export const $$ = (selector, el) => (el ? [...el.querySelectorAll(selector)] : []);
export const words = (text) => text.trim().replace(/\s+/g, " ");

// An element: `props` are set as properties where the element has one (className, type,
// hidden), as attributes otherwise (role, aria-*, data-*).
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key in el) el[key] = value;
    else el.setAttribute(key, value);
  }
  el.append(...children);
  return el;
}
