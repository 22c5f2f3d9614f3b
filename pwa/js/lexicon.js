// The Swedish word list that splits compounds for the offline search (740 KB, 375 kB gzipped). It is too big
// for the precached shell, and useless before the phone holds routines: the page fetches it right after a
// routines sync, the service worker after an update has activated, each only when it is not yet stored. It
// lives in its own cache under a URL named by its content hash (pwa/build.mjs), so a new build's list
// replaces the old one. It holds nothing of the user: logout leaves it. No DOM: the worker uses it too.
import { LEXICON, LOCKS } from "./cache-names.js";
import { LEXICON_URL } from "./generated/lexicon-url.js";

// The page waits for the download inside its routines sync: a network that stalls must not hold the sync for ever.
const DOWNLOAD_LIMIT_MS = 60 * 1000;

async function dropOtherVersions(cache) {
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname !== LEXICON_URL) await cache.delete(request);
  }
}

async function fetchIntoCache() {
  const cache = await caches.open(LEXICON);
  await dropOtherVersions(cache);
  if (await cache.match(LEXICON_URL)) return true;
  const controller = new AbortController();
  const limit = setTimeout(() => controller.abort(), DOWNLOAD_LIMIT_MS);
  try {
    const response = await fetch(LEXICON_URL, { credentials: "same-origin", signal: controller.signal });
    if (!response.ok || response.redirected) return false;
    await cache.put(LEXICON_URL, response); // reads the body, still under the limit
    return true;
  } finally {
    clearTimeout(limit);
  }
}

/** Makes sure this build's word list is on the phone; resolves to whether it is. Never throws. */
export async function keepLexicon() {
  try {
    // One download at a time across the tabs and the worker; whoever comes second finds it stored.
    if (navigator.locks) return await navigator.locks.request(LOCKS.lexicon, fetchIntoCache);
    return await fetchIntoCache();
  } catch {
    return false; // no network, no room, too slow: the offline search does without it until the next sync
  }
}

/** The packed word list (pwa/constants.py, packed_lexicon) as stored on the phone, or null when it is not. */
export async function storedLexicon() {
  try {
    const response = await caches.match(LEXICON_URL, { cacheName: LEXICON });
    const body = response ? await response.json() : null;
    return body?.lexicon && typeof body.lexicon === "object" ? body.lexicon : null;
  } catch {
    return null;
  }
}
