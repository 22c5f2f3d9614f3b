// One strategy per kind of request. Pages: network first (they carry the user's state), the copy
// on the phone when the network fails or is too slow. Routine images and built files: cache first
// (their URLs never change meaning). htmx fragments are kept apart from whole pages.
import { CacheableResponsePlugin } from "workbox-cacheable-response";
import { ExpirationPlugin } from "workbox-expiration";
import { matchPrecache } from "workbox-precaching";
import { CacheFirst, NetworkFirst, NetworkOnly } from "workbox-strategies";
import {
  isNeverCachedPath, isRoutinePath, OFFLINE_PAGE, PAGES, PARTIALS, ROUTINE_LIST, ROUTINE_PAGES, STATIC, USER_CACHES,
} from "../cache-names.js";
import { LEXICON_URL } from "../generated/lexicon-url.js";
import { forgetUserCaches } from "../session-api.js";
import { currentShellUrls } from "./precache.js";

const NETWORK_TIMEOUT_SECONDS = 4;
const LOGIN_PAGE = "/login";
const NEVER_CACHED = new Set([LOGIN_PAGE, "/logout", "/offline"]);

// Only a real page of ours: not a redirect to the login page, not an error.
const onlyGoodPages = {
  cacheWillUpdate: async ({ response }) => (response && response.status === 200 && !response.redirected ? response : null),
};

// The server says the session is gone (401, or a page sent to the login page): nothing of the user stays.
const forgetWhenSignedOut = {
  fetchDidSucceed: async ({ response }) => {
    const toLogin = response.redirected && new URL(response.url).pathname === LOGIN_PAGE;
    if (response.status === 401 || toLogin) await forgetUserCaches().catch(() => {});
    return response;
  },
};

const isNavigation = ({ request, sameOrigin }) => sameOrigin && request.mode === "navigate";

export const matchers = {
  neverCached: ({ url, sameOrigin }) => sameOrigin && isNeverCachedPath(url.pathname),
  routineImage: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/rutiner/bilder/"),
  // The word list has its own cache (pwa/js/lexicon.js): not a second copy among the static files.
  staticFile: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/static/") && url.pathname !== LEXICON_URL,
  htmxFragment: ({ request, url, sameOrigin }) => sameOrigin && request.headers.get("HX-Request") === "true"
    && !url.pathname.startsWith("/api/"),
  routinePage: (context) => isNavigation(context) && isRoutinePath(context.url.pathname) && !context.url.search,
  page: (context) => isNavigation(context) && !NEVER_CACHED.has(context.url.pathname)
    && !context.url.pathname.startsWith("/api/"),
  uncachedPage: (context) => isNavigation(context),
};

export const routineImages = new CacheFirst({
  cacheName: ROUTINE_PAGES,
  plugins: [new CacheableResponsePlugin({ statuses: [200] })],
});

export const routinePages = new NetworkFirst({
  cacheName: ROUTINE_PAGES,
  networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
  plugins: [forgetWhenSignedOut, onlyGoodPages],
});

export const pages = new NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
  plugins: [forgetWhenSignedOut, onlyGoodPages, new ExpirationPlugin({ maxEntries: 60, maxAgeSeconds: 30 * 24 * 3600 })],
});

export const htmxFragments = new NetworkFirst({
  cacheName: PARTIALS,
  networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
  plugins: [forgetWhenSignedOut, onlyGoodPages, new ExpirationPlugin({ maxEntries: 100, maxAgeSeconds: 30 * 24 * 3600 })],
});

export const pagesNeverCached = new NetworkOnly({ plugins: [forgetWhenSignedOut] });

const staticFiles = new CacheFirst({
  cacheName: STATIC,
  plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 60 })],
});
const shellUrls = currentShellUrls();

// A page cached under an earlier version links to files that are no longer precached:
// with no network, give it today's version of the same file.
export async function staticFilesWithShellFallback(options) {
  try {
    return await staticFiles.handle(options);
  } catch (error) {
    const current = shellUrls.get(options.url.pathname);
    const cached = current && await matchPrecache(current);
    if (cached) return cached;
    throw error;
  }
}

// Nothing from the network and nothing on the phone.
export async function offlineFallback({ request, url }) {
  if (request.mode !== "navigate") return Response.error();
  if (url.pathname === ROUTINE_LIST) {
    // "/rutiner?q=…": the list page searches the routines on the phone itself.
    const list = await caches.match(ROUTINE_LIST, { cacheName: PAGES });
    if (list) return list;
  }
  return (await matchPrecache(OFFLINE_PAGE)) || Response.error();
}

// Copies an earlier version kept of pages that are now never cached (reports, statistics, admin).
export async function dropNeverCachedPages() {
  for (const name of USER_CACHES) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    const requests = await cache.keys();
    await Promise.all(requests.filter((request) => isNeverCachedPath(new URL(request.url).pathname))
      .map((request) => cache.delete(request)));
  }
}
