// Small DOM helpers shared by the page modules.
import { loadHtmx } from "./htmx-later.js";

// A new element with attributes and, optionally, its text (never HTML: text from the phone's store is data).
export function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// Draws one part of the current page again from the server (htmx), leaving the rest as it is.
export function reloadPart(selector) {
  // With the query: a paged or filtered list is drawn again as it is shown.
  return loadHtmx().then((htmx) => htmx.ajax("GET", location.pathname + location.search, { target: selector, select: selector, swap: "outerHTML" }));
}
