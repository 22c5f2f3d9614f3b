// htmx comes after the page has loaded, not with it: a routine opened on a phone (offline, on a slow CPU)
// parses and runs less before it shows, and nothing needs htmx before someone acts on the page. A form
// sent in the moment before htmx is there waits for it and then goes as htmx sends it.
const REQUEST_ATTRIBUTES = ["hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"];
const SENT_BY_HTMX = REQUEST_ATTRIBUTES.flatMap((name) => [`[${name}]`, `[data-${name}]`]).join(",");

let loading = null;

function afterLoad() {
  // htmx starts itself on DOMContentLoaded, or at once when the document is complete; run between the
  // two it would never start (and never read the page's htmx-config: no eval, no script tags).
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
}

export function loadHtmx() {
  loading ||= afterLoad()
    .then(() => import("htmx.org"))
    .then(({ default: htmx }) => {
      window.htmx = htmx;
      return htmx;
    });
  return loading;
}

function holdUntilHtmx(event) {
  const form = event.target;
  if (window.htmx || !(form instanceof HTMLFormElement) || !form.matches(SENT_BY_HTMX)) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const { submitter } = event;
  loadHtmx().then(() => form.requestSubmit(submitter && submitter.form === form ? submitter : undefined));
}

export function startHtmxAfterLoad() {
  document.addEventListener("submit", holdUntilHtmx, true);
  loadHtmx().catch((error) => console.warn("Fickan could not load htmx", error));
}
