// The page's side of the service worker: registration, and "Ny version — uppdatera" when a new
// version waits, so nobody stays on an old app shell against a newer server.
import { Workbox } from "workbox-window";

const UPDATE_CHECK_MS = 30 * 60 * 1000;
// The browser lets the new version take over only once the old one has finished what it is doing
// (a slow fetch, say); after this long the tap loads the page anyway, so it never seems to do nothing.
const TAKEOVER_WAIT_MS = 4000;

let reloading = false;

// Load the page again from the new version, once, whichever signal comes first.
function reloadOnce() {
  if (reloading) return;
  reloading = true;
  location.reload();
}

function offerUpdate() {
  const banner = document.querySelector("[data-update-banner]");
  if (!banner) return;
  banner.hidden = false;
  const button = banner.querySelector("[data-update-now]");
  button?.addEventListener("click", async () => {
    button.disabled = true;
    // Workbox reports "controlling" only for a worker it found itself; the browser's own
    // controllerchange covers a version found by a navigation or another tab.
    navigator.serviceWorker.addEventListener("controllerchange", reloadOnce, { once: true });
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration?.waiting) {
      registration.waiting.postMessage({ type: "SKIP_WAITING" });
      setTimeout(reloadOnce, TAKEOVER_WAIT_MS);
    } else {
      // The new version took over before the tap (another tab, or the browser): just load it.
      reloadOnce();
    }
  }, { once: true });
}

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return null;
  const workbox = new Workbox("/sw.js", { scope: "/" });
  workbox.addEventListener("waiting", offerUpdate);
  // The new version took over (here or in another tab): load the page again from it.
  workbox.addEventListener("controlling", (event) => {
    if (event.isUpdate) reloadOnce();
  });
  workbox.register().then(async (registration) => {
    if (!registration) return;
    // This page came from a newer server than the worker knows: look for the new worker now.
    const release = document.querySelector('meta[name="fickan-release"]')?.content;
    const workerRelease = navigator.serviceWorker.controller ? await workbox.messageSW({ type: "GET_RELEASE" }).catch(() => null) : null;
    if (release && workerRelease && release !== workerRelease && navigator.onLine) workbox.update();
  });
  setInterval(() => { if (navigator.onLine) workbox.update(); }, UPDATE_CHECK_MS);
  return workbox;
}

// Safari keeps a website's data only a short while; an app on the home screen keeps it.
export async function askForPersistentStorage() {
  if (navigator.storage?.persist && !(await navigator.storage.persisted())) await navigator.storage.persist();
}
