// When to sync the routines, and how the routine pages behave with no network.
import { askForPersistentStorage } from "./bridge.js";
import { APP_PAGES, LOCKS, PAGES } from "./cache-names.js";
import { SyncProblem, syncRoutines } from "./routines-sync.js";
import { keepLexicon } from "./lexicon.js";
import { claimPhoneFor } from "./session.js";
import { isOffline, showConnection, showFetchedAt, showProblem, showSyncProgress } from "./status.js";
import * as store from "./store.js";

// MiniSearch and the offline list are needed only with no network: loaded then.
const offlineRoutines = () => import("./offline-routines.js");
const QUIET_PERIOD_MS = 60 * 1000; // page loads within a minute of a sync do not ask again
const WHILE_OPEN_MS = 10 * 60 * 1000;

function markSyncState(state) {
  document.body.dataset.routineSync = state;
}

// After a first sync the phone also holds the app's own pages (the report form among them), so
// Fickan starts with no network even where the user never opened them.
async function keepAppPages() {
  const cache = await caches.open(PAGES);
  for (const path of APP_PAGES) {
    if (await cache.match(path)) continue;
    const response = await fetch(path, { credentials: "same-origin" }).catch(() => null);
    if (response?.ok && !response.redirected) await cache.put(path, response);
  }
}

async function runSync() {
  markSyncState("running");
  try {
    const result = await syncRoutines({ onProgress: showSyncProgress });
    if (result.full) await keepAppPages();
    // The offline search's word list, before the first search with no network can want it (once per build).
    await keepLexicon();
    showProblem(null);
    markSyncState("done");
    await askForPersistentStorage().catch(() => {});
    window.dispatchEvent(new CustomEvent("fickan:routines-synced", { detail: result }));
  } catch (error) {
    showSyncProgress(0, 0);
    const kind = error instanceof SyncProblem ? error.kind : "server";
    // No network is the normal state in a basement, not a problem to report.
    if (!(kind === "network" && isOffline())) showProblem(kind);
    markSyncState("failed");
  } finally {
    await showConnection();
  }
}

// One sync at a time across the app's tabs.
async function syncOnce({ force }) {
  if (isOffline()) return;
  const syncedAt = await store.getMeta("syncedAt");
  if (!force && syncedAt && Date.now() - syncedAt < QUIET_PERIOD_MS) {
    markSyncState("done");
    return;
  }
  if (navigator.locks) {
    await navigator.locks.request(LOCKS.routines, { ifAvailable: true }, async (lock) => { if (lock) await runSync(); });
  } else {
    await runSync();
  }
}

export async function startRoutineSync(userId) {
  await claimPhoneFor(userId);
  window.addEventListener("online", () => syncOnce({ force: true }));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncOnce({ force: false });
  });
  setInterval(() => syncOnce({ force: true }), WHILE_OPEN_MS);
  await syncOnce({ force: false });
}

// Search and list over the phone's routines when the server cannot be asked (app.js calls it for the
// search field with no network).
export async function searchLocally(input) {
  const results = document.getElementById("sokresultat");
  const query = input.value.trim();
  if (!results) return;
  if (!query) {
    results.replaceChildren();
    return;
  }
  const { renderResults, searchOnPhone } = await offlineRoutines();
  renderResults(results, query, await searchOnPhone(query));
}

export async function showRoutinesOnPhone() {
  const catalogue = document.querySelector("[data-routine-catalogue]");
  const offlinePage = document.querySelector("[data-offline-routines]");
  if (catalogue && (isOffline() || offlinePage)) await (await offlineRoutines()).renderCatalogue(catalogue);
  const input = document.getElementById("sok-rutin");
  const query = new URLSearchParams(location.search).get("q");
  if (input && query && (isOffline() || offlinePage)) {
    input.value = query;
    await searchLocally(input);
  }
  await showFetchedAt();
}
