// Keeps the routines on the phone current with the server's delta feed (docs/SYNC.md, routines feed):
// fetch only the pages that changed, drop those that went away or are no longer the user's.
import { PAGES, PARTIALS, ROUTINE_PAGES } from "./cache-names.js";
import { SYNC_FETCH_HEADER } from "./generated/constants.js";
import { readRoutinePage } from "./routine-page.js";
import * as store from "./store.js";

const FEED = "/api/v1/routines/changes";
let stopping = false;

// Logout: start no new request, so that none is still running when the session ends.
export function stopRoutineSync() {
  stopping = true;
}
const PARALLEL_FETCHES = 4;
const BODY_TEXT_LIMIT = 20000;

// Why a sync could not finish; the page tells the user in plain Swedish.
export class SyncProblem extends Error {
  constructor(kind, cause) {
    super(kind);
    this.kind = kind; // "signed-out" | "server" | "network" | "quota"
    this.cause = cause;
  }
}

export function isQuotaError(error) {
  return error?.name === "QuotaExceededError" || error?.inner?.name === "QuotaExceededError";
}

// `synonymsVersion`: that of the synonym list the phone holds, so the server leaves the list out when it has
// not changed (it is larger than a routine page).
async function readFeed(token, synonymsVersion, signal) {
  const query = new URLSearchParams();
  if (token) query.set("since", token);
  if (synonymsVersion) query.set("synonyms_version", synonymsVersion);
  const search = query.toString();
  let response;
  try {
    response = await fetch(search ? `${FEED}?${search}` : FEED, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal,
    });
  } catch (error) {
    throw new SyncProblem("network", error);
  }
  if (response.status === 401) throw new SyncProblem("signed-out");
  if (!response.ok) throw new SyncProblem("server");
  // A captive portal answers 200 with its own page: only our feed counts.
  const feed = await response.json().catch(() => null);
  if (!feed || !Array.isArray(feed.routines) || !Array.isArray(feed.removed) || typeof feed.token !== "string") {
    throw new SyncProblem("server");
  }
  return feed;
}

// An image's path, read relative to the page it is on (the service worker's own location is not).
function sameOriginPath(src, page) {
  const url = new URL(src, new URL(page, location.origin));
  return url.origin === location.origin ? url.pathname + url.search : null;
}

// A redirect is the way to the login page: the session ended during the round. It is not followed, because
// the login page would start a new session and the login form open on the phone would lose its token; the
// round stops instead.
function throwIfSignedOut(response) {
  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
    throw new SyncProblem("signed-out");
  }
}

async function fetchImages(cache, paths, signal) {
  for (const path of paths) {
    if (await cache.match(path)) continue; // an image URL names one file for ever
    const response = await fetch(path, { credentials: "same-origin", redirect: "manual", signal });
    throwIfSignedOut(response);
    if (!response.ok) throw new Error(`image ${path}: ${response.status}`);
    await cache.put(path, response);
  }
}

async function fetchRoutine(cache, entry, previous, signal) {
  const response = await fetch(entry.url, {
    credentials: "same-origin",
    cache: "no-store",
    // A background fetch: the server does not count it as a person reading the routine.
    headers: { [SYNC_FETCH_HEADER]: "1" },
    redirect: "manual",
    signal,
  });
  throwIfSignedOut(response);
  if (!response.ok) throw new Error(`routine ${entry.url}: ${response.status}`);
  const page = readRoutinePage(await response.clone().text());
  if (!page) throw new Error(`routine ${entry.url}: not a routine page`);
  const images = page.images.map((src) => sameOriginPath(src, entry.url)).filter(Boolean);
  await fetchImages(cache, images, signal);
  await cache.put(entry.url, response);
  if (previous && previous.url !== entry.url) await cache.delete(previous.url);
  await store.putRoutine({
    id: entry.id,
    slug: entry.slug,
    title: entry.title,
    kind: entry.kind,
    category: entry.category,
    unit: entry.unit ?? null, // null: a central routine
    tags: entry.tags || [],
    version: entry.version,
    url: entry.url,
    updated_at: entry.updated_at,
    search: entry.search || null, // the server's analysed terms, for the offline search
    text: page.text.replace(/\s+/g, " ").trim().slice(0, BODY_TEXT_LIMIT),
    images,
    fetched_at: Date.now(),
  });
}

async function deleteFromOtherCaches(urls) {
  for (const name of [PAGES, PARTIALS]) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const { pathname } = new URL(request.url);
      if (urls.some((url) => pathname === url || pathname.startsWith(`${url}/`))) await cache.delete(request);
    }
  }
}

async function removeRoutines(cache, gone, kept) {
  if (!gone.length) return;
  const stillUsed = new Set(kept.flatMap((routine) => routine.images || []));
  for (const routine of gone) {
    await cache.delete(routine.url);
    for (const image of routine.images || []) if (!stillUsed.has(image)) await cache.delete(image);
  }
  await deleteFromOtherCaches(gone.map((routine) => routine.url));
  await store.deleteRoutines(gone.map((routine) => routine.id));
}

async function needsFetch(cache, entry, stored) {
  return !stored || stored.version !== entry.version || stored.updated_at !== entry.updated_at
    || stored.url !== entry.url || !(await cache.match(entry.url));
}

async function inParallel(items, limit, work) {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length && !stopping) await work(queue.shift());
  });
  await Promise.all(workers);
}

/**
 * One round of the routines sync. Resolves to {fetched, removed, failed}; throws SyncProblem.
 * A full answer (first sync, or the user's units changed) replaces what the phone has; pages whose
 * version the phone already holds are never fetched again. `first` (a routine's path) is fetched
 * before the others; `signal` aborts the round's requests.
 */
export async function syncRoutines({ onProgress, first, signal } = {}) {
  const stored = new Map((await store.allRoutines()).map((routine) => [routine.id, routine]));
  // Routines stored before the feed carried search terms: one full answer brings them all.
  const lacksSearch = [...stored.values()].some((routine) => !routine.search);
  const token = lacksSearch ? null : await store.getMeta("token");
  // The version is named only while the list itself is on the phone (logout clears both).
  const synonymsVersion = Array.isArray(await store.getMeta("synonyms")) ? await store.getMeta("synonymsVersion") : null;
  const feed = await readFeed(token, synonymsVersion, signal);
  const cache = await caches.open(ROUTINE_PAGES);
  const listed = new Set(feed.routines.map((entry) => entry.id));
  const goneIds = feed.full ? [...stored.keys()].filter((id) => !listed.has(id)) : feed.removed.filter((id) => stored.has(id));
  const gone = goneIds.map((id) => stored.get(id));
  const kept = [...stored.values()].filter((routine) => !goneIds.includes(routine.id));

  // The feed overlaps its previous answer a little, and a full answer lists everything: fetch only
  // what the phone does not already hold in this very version.
  const wanted = [];
  const searchOnly = [];
  for (const entry of feed.routines) {
    if (await needsFetch(cache, entry, stored.get(entry.id))) wanted.push(entry);
    else if (entry.search && JSON.stringify(entry.search) !== JSON.stringify(stored.get(entry.id).search)) searchOnly.push(entry);
  }
  // The routine a push named is the one the user is about to open.
  wanted.sort((a, b) => (b.url === first) - (a.url === first));
  let done = 0;
  let failed = 0;
  let quotaError = null;
  let signedOut = null;
  onProgress?.(done, wanted.length);
  try {
    await removeRoutines(cache, gone, kept);
    // Same version, new analysis (the server's index was rebuilt): no page to fetch.
    for (const entry of searchOnly) await store.putRoutine({ ...stored.get(entry.id), search: entry.search });
    await inParallel(wanted, PARALLEL_FETCHES, async (entry) => {
      if (quotaError || signedOut) return;
      try {
        await fetchRoutine(cache, entry, stored.get(entry.id), signal);
      } catch (error) {
        if (isQuotaError(error)) quotaError = error;
        if (error instanceof SyncProblem && error.kind === "signed-out") signedOut = error;
        failed += 1;
      }
      done += 1;
      onProgress?.(done, wanted.length);
    });
    if (signedOut) throw signedOut;
    if (quotaError) throw new SyncProblem("quota", quotaError);
    // Left out of the answer: the phone's copy is this version still.
    if (Array.isArray(feed.synonyms)) {
      await store.setMeta("synonyms", feed.synonyms);
      await store.setMeta("synonymsVersion", typeof feed.synonyms_version === "string" ? feed.synonyms_version : null);
    }
    // Keep the old token after a failure: the next round asks again for what is missing.
    if (!failed) {
      await store.setMeta("token", feed.token);
      await store.setMeta("syncedAt", Date.now());
    }
  } catch (error) {
    if (error instanceof SyncProblem) throw error;
    throw new SyncProblem(isQuotaError(error) ? "quota" : "server", error);
  }
  if (failed) throw new SyncProblem("network");
  return { fetched: wanted.length, removed: gone.length, full: feed.full };
}
