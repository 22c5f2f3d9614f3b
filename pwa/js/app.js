// Entry point of the page bundle: wires htmx, the service worker and the small behaviours of the shell.
import htmx from "htmx.org";
import { registerServiceWorker } from "./bridge.js";
import { wireChecklists } from "./checklist.js";
import { wireConfirmButtons } from "./confirm.js";
import { wireInstallHint } from "./install-hint.js";
import { readyToLogOut, startOutbox } from "./outbox/page.js";
import { dropPushSubscription, listenForPushes, refreshPushSubscription, wirePushSettings } from "./push/page.js";
import { wireSelfChecks } from "./self-check.js";
import { showRoutinesOnPhone, startRoutineSync, wireOfflineSearch } from "./routines-on-phone.js";
import { forgetUserOnLoginPage, prepareLogout, signedInUser, wireLogout } from "./session.js";
import { showConnection, showFetchedAt } from "./status.js";
import * as store from "./store.js";

window.htmx = htmx;

function wire(root) {
  wireConfirmButtons(root);
  wireChecklists(root);
  wireLogout(root);
  wireOfflineSearch(root);
  wirePushSettings(root);
  wireSelfChecks(root);
}

async function start() {
  wire(document);
  registerServiceWorker();
  wireInstallHint();
  listenForPushes();
  prepareLogout({ check: readyToLogOut, cleanUp: dropPushSubscription });
  const connectionChanged = () => {
    showConnection();
    showFetchedAt();
  };
  window.addEventListener("online", connectionChanged);
  window.addEventListener("offline", connectionChanged);
  await forgetUserOnLoginPage();
  await showConnection();
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

document.addEventListener("DOMContentLoaded", () => {
  start().catch((error) => console.warn("Fickan could not start everything on this phone", error));
});
document.addEventListener("htmx:load", (event) => wire(event.target));
