// htmx is not part of opening a page. Where something on the page sends by itself (a search field as you
// type, a list's filter links), htmx comes right after the load event. Where htmx only sends forms (a
// routine page: "Jag har läst", "Spara i Mina rutiner"), it comes when one is sent: the submit waits for
// it and then goes as htmx sends it. A routine opened on a slow phone parses and runs none of it.
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

// Anything but a form sent the usual way (its submit) needs htmx listening from the start.
function sendsByItself(node) {
  return !(node instanceof HTMLFormElement) || node.hasAttribute("hx-trigger") || node.hasAttribute("data-hx-trigger");
}

// What was typed in a search field before htmx listened (a quick thumb on a slow phone) would otherwise wait
// for one more key. Not as an "input" event: htmx takes the value it found at its start as the last one sent,
// so "input changed" would see no change; the fields also listen for "search", which has no such condition.
const SEARCH_FIELDS = '[hx-trigger~="search"], [data-hx-trigger~="search"]';
// A form that counts as it is filled in (a notice's recipients), or a text whose preview follows the typing (a
// routine's), missed the changes made before htmx listened.
const CHANGE_SENDERS = '[hx-trigger~="change"], [data-hx-trigger~="change"]';
const CONTROLS = "input, select, textarea";

function differsFromPage(control) {
  if (control.type === "checkbox" || control.type === "radio") return control.checked !== control.defaultChecked;
  if (control instanceof HTMLSelectElement) {
    return [...control.options].some((option) => option.selected !== option.defaultSelected);
  }
  return control.value !== control.defaultValue;
}

function sendWhatWasTyped(htmx) {
  document.querySelectorAll(SEARCH_FIELDS).forEach((field) => {
    if (field.value !== field.defaultValue) htmx.trigger(field, "search");
  });
  document.querySelectorAll(CHANGE_SENDERS).forEach((sender) => {
    const controls = sender.matches(CONTROLS) ? [sender] : [...sender.querySelectorAll(CONTROLS)];
    if (controls.some(differsFromPage)) htmx.trigger(sender, "change");
  });
}

// Resolves once htmx has started on a page that needs it at once (at once on any other page).
export function startHtmxWhenNeeded() {
  document.addEventListener("submit", holdUntilHtmx, true);
  if (![...document.querySelectorAll(SENT_BY_HTMX)].some(sendsByItself)) return Promise.resolve();
  return loadHtmx()
    .then(sendWhatWasTyped)
    .catch((error) => console.warn("Fickan could not load htmx", error));
}
