// Entry point of the page bundle: only what a page needs as it opens, its own controls and htmx where the
// page needs it. The phone's own work (the service worker, the status line, the outbox, push, the routine
// sync) is background.js, fetched after the load event. This module and the few it imports are imported by
// no other chunk, so the page opens with one script file (pwa/build.mjs refuses a build where app.js would
// import a chunk: that chunk would be fetched only once app.js was in, a second round trip per page).
import { wireChecklists } from "./checklist.js";
import { wireConfirmButtons } from "./confirm.js";
import { startHtmxWhenNeeded } from "./htmx-later.js";

const background = () => import("./background.js");
const couldNotStart = (error) => console.warn("Fickan could not start everything on this phone", error);
const isOffline = () => navigator.onLine === false;

// Logout first empties the phone (background.js); the form goes to the server whatever that finds.
function wireLogout(root) {
  root.querySelectorAll("form[data-logout]").forEach((form) => {
    if (form.dataset.logoutWired) return;
    form.dataset.logoutWired = "1";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      background().then(({ logOut }) => logOut(form), (error) => {
        couldNotStart(error);
        form.submit();
      });
    });
  });
}

// The routine search with no network: the phone searches its own routines instead of asking the server.
function wireOfflineSearch(root) {
  const input = root.querySelector?.("#sok-rutin");
  if (!input || input.dataset.offlineWired) return;
  input.dataset.offlineWired = "1";
  const searchLocally = () => import("./routines-on-phone.js")
    .then(({ searchLocally: search }) => search(input))
    .catch(couldNotStart);
  input.addEventListener("htmx:beforeRequest", (event) => {
    if (!isOffline()) return;
    event.preventDefault();
    searchLocally();
  });
  // Signal that lies: the phone thinks it is online but the request never arrives.
  input.addEventListener("htmx:sendError", searchLocally);
  input.form?.addEventListener("submit", (event) => {
    if (!isOffline()) return;
    event.preventDefault();
    searchLocally();
  });
}

// The push settings and egenkontroll forms: their code comes with background.js, fetched for those pages.
function wirePageParts(root) {
  if (!root.querySelector?.("[data-push-settings], form[data-self-check], [data-self-check-sent]")) return;
  background().then(({ wirePageParts: wireParts }) => wireParts(root)).catch(couldNotStart);
}

function wire(root) {
  wireConfirmButtons(root);
  wireChecklists(root);
  wireLogout(root);
  wireOfflineSearch(root);
  wirePageParts(root);
}

let htmxStarted = Promise.resolve();
document.addEventListener("DOMContentLoaded", () => {
  htmxStarted = startHtmxWhenNeeded();
  wire(document);
});
// None of the phone's own work is on the screen, and before the load it would compete with opening the page.
// Not in the load event itself either: a promise settled there runs before the event ends, and fetching
// background.js and its chunks then held up the end of the load by up to 8 ms on a throttled phone. One task
// later it starts as soon. Where something on the page sends by itself (a search field as you type), htmx
// comes first.
window.addEventListener("load", () => {
  setTimeout(() => {
    htmxStarted.then(background).then(({ startBackground }) => startBackground()).catch(couldNotStart);
  }, 0);
});
document.addEventListener("htmx:load", (event) => wire(event.target));
