// A push about a changed routine: the worker runs the routines sync (that routine first) before the
// notification shows, so a tap in a basement opens the new version (docs/SYNC.md, push).
import { LOCKS } from "../cache-names.js";
import { syncRoutines } from "../routines-sync.js";
import * as store from "../store.js";

// The notification waits for the sync at most this long: Safari wants one for every push, and soon.
export const NOTIFICATION_WAIT_MS = 4000;
// The sync may go on after the notification shows, never longer than this.
const SYNC_LIMIT_MS = 30000;

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function syncFor(path, signal) {
  // Before the phone's first sync (the page's, which also keeps the app's pages) there is nothing to update.
  if (!(await store.getMeta("token"))) return;
  const run = () => syncRoutines({ first: path, signal });
  // One sync at a time with the pages; a page's running sync is waited for, then the feed asked again.
  if (navigator.locks) await navigator.locks.request(LOCKS.routines, { signal }, run);
  else await run();
}

/** Sync the routines (`path` first), then show: when the sync ends, or after NOTIFICATION_WAIT_MS. */
export async function syncThenShow(path, show) {
  const controller = new AbortController();
  const limit = setTimeout(() => controller.abort(), SYNC_LIMIT_MS);
  // A failed sync changes nothing on the phone; the pages' next sync asks again.
  const syncing = syncFor(path, controller.signal).catch(() => {}).finally(() => clearTimeout(limit));
  await Promise.race([syncing, pause(NOTIFICATION_WAIT_MS)]);
  await show();
  await syncing;
}
