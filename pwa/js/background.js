// The phone's own work, started by app.js after the page has loaded: the service worker, the status line,
// the outbox, push and the routine sync; and what logout and a few pages (push settings, egenkontroll)
// need of it.
import { registerServiceWorker } from "./bridge.js";
import { wireInstallHint } from "./install-hint.js";
import { outboxSaved, readyToLogOut, startOutbox } from "./outbox/page.js";
import { dropPushSubscription, listenForPushes, refreshPushSubscription, wirePushSettings } from "./push/page.js";
import { showRoutinesOnPhone, startRoutineSync } from "./routines-on-phone.js";
import { forgetUserOnLoginPage, logOut as logOutOfPhone, signedInUser } from "./session.js";
import { showConnection, showFetchedAt } from "./status.js";
import * as store from "./store.js";

const couldNotStart = (error) => console.warn("Fickan could not start everything on this phone", error);

export async function startBackground() {
  const connectionChanged = () => {
    showConnection();
    showFetchedAt();
  };
  window.addEventListener("online", connectionChanged);
  window.addEventListener("offline", connectionChanged);
  showConnection().catch(couldNotStart);
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

// The outbox decides whether logging out may go on (unsent items); push unsubscribes this phone.
export const logOut = (form) => logOutOfPhone(form, { check: readyToLogOut, cleanUp: dropPushSubscription });

// An egenkontroll form, or a task just done: the self-check code comes in its own chunk.
function wireSelfCheckForms(root) {
  const userId = signedInUser();
  if (!userId || !root.querySelector?.("form[data-self-check], [data-self-check-sent]")) return;
  import("./self-check.js")
    .then(({ wireSelfChecks }) => wireSelfChecks(root, { userId, afterSave: () => outboxSaved(userId) }))
    .catch(couldNotStart);
}

export function wirePageParts(root) {
  wirePushSettings(root);
  wireSelfCheckForms(root);
}
