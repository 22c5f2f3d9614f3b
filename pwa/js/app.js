// Entry point of the page bundle: wires the service worker, htmx (when a page needs it) and the small
// behaviours of the shell.
import { registerServiceWorker } from "./bridge.js";
import { wireChecklists } from "./checklist.js";
import { wireConfirmButtons } from "./confirm.js";
import { startHtmxWhenNeeded } from "./htmx-later.js";
import { wireInstallHint } from "./install-hint.js";
import { outboxSaved, readyToLogOut, startOutbox } from "./outbox/page.js";
import { dropPushSubscription, listenForPushes, refreshPushSubscription, wirePushSettings } from "./push/page.js";
import { showRoutinesOnPhone, startRoutineSync, wireOfflineSearch } from "./routines-on-phone.js";
import { forgetUserOnLoginPage, prepareLogout, signedInUser, wireLogout } from "./session.js";
import { showConnection, showFetchedAt } from "./status.js";
import * as store from "./store.js";


function wire(root) {
  wireConfirmButtons(root);
  wireChecklists(root);
  wireLogout(root);
  wireOfflineSearch(root);
  wirePushSettings(root);
  wireSelfCheckForms(root);
}

// An egenkontroll form, or a task just done: the self-check code comes in its own chunk.
function wireSelfCheckForms(root) {
  const userId = signedInUser();
  if (!userId || !root.querySelector?.("form[data-self-check], [data-self-check-sent]")) return;
  import("./self-check.js")
    .then(({ wireSelfChecks }) => wireSelfChecks(root, { userId, afterSave: () => outboxSaved(userId) }))
    .catch(couldNotStart);
}

// What shows at once: the page's own controls and whether the phone is online (the page's first paint
// does not wait for the rest).
function startVisible() {
  startHtmxWhenNeeded();
  wire(document);
  prepareLogout({ check: readyToLogOut, cleanUp: dropPushSubscription });
  const connectionChanged = () => {
    showConnection();
    showFetchedAt();
  };
  window.addEventListener("online", connectionChanged);
  window.addEventListener("offline", connectionChanged);
  return showConnection();
}

// The phone's own work (worker, outbox, push, routine sync) starts once the page has loaded: none of it
// is on the screen, and before the load it would compete with opening the page on a slow phone.
async function startBackground() {
  registerServiceWorker();
  wireInstallHint();
  listenForPushes();
  await forgetUserOnLoginPage();
  await showRoutinesOnPhone();
  const userId = signedInUser();
  // The offline page names nobody; the phone knows whose it is.
  const owner = userId || (await store.getMeta("user").catch(() => null));
  if (owner) await startOutbox(owner, { signedIn: Boolean(userId) });
  if (userId) {
    refreshPushSubscription();
    await startRoutineSync(userId);
  }
}

const couldNotStart = (error) => console.warn("Fickan could not start everything on this phone", error);
document.addEventListener("DOMContentLoaded", () => {
  startVisible().catch(couldNotStart);
});
window.addEventListener("load", () => {
  startBackground().catch(couldNotStart);
});
document.addEventListener("htmx:load", (event) => wire(event.target));
