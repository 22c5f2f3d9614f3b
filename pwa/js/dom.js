// Small DOM helpers shared by the page modules.

// A new element with attributes and, optionally, its text (never HTML: text from the phone's store is data).
export function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// htmx starts itself only if it comes before DOMContentLoaded or after the load event (htmx-later.js).
const loaded = () => (document.readyState === "complete" ? Promise.resolve()
  : new Promise((resolve) => window.addEventListener("load", resolve, { once: true })));

// Draws one part of the current page again from the server (htmx), leaving the rest as it is. The same
// htmx chunk htmx-later.js loads, so the page has one htmx; not through htmx-later.js, which is the page
// entry's own module (see app.js).
export function reloadPart(selector) {
  // With the query: a paged or filtered list is drawn again as it is shown.
  return loaded().then(() => import("htmx.org")).then(({ default: htmx }) => {
    window.htmx = htmx;
    return htmx.ajax("GET", location.pathname + location.search, { target: selector, select: selector, swap: "outerHTML" });
  });
}
