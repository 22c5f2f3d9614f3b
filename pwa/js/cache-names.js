// Names shared by the pages and the service worker. Everything in USER_CACHES belongs to the
// signed-in user and is removed at logout; the precache, STATIC and LEXICON hold only the app itself.
import { NEVER_CACHED_PATHS, RESERVED_SLUGS } from "./generated/constants.js";

export const ROUTINE_PAGES = "fickan-routines";
export const PAGES = "fickan-pages";
export const PARTIALS = "fickan-partials";
export const STATIC = "fickan-static";
// The offline search's word list (pwa/js/lexicon.js): the same for every user, so logout keeps it.
export const LEXICON = "fickan-lexicon";
export const USER_CACHES = [ROUTINE_PAGES, PAGES, PARTIALS];

export const OFFLINE_PAGE = "/offline";
export const ROUTINE_LIST = "/rutiner";
// Paths under /rutiner/ that are pages of the library itself, not a routine.
export const LIBRARY_PAGES = new Set(RESERVED_SLUGS);
// Web Locks held while the phone talks to the server for the user (one at a time across tabs).
export const LOCKS = { routines: "fickan-routines-sync", outbox: "fickan-outbox", lexicon: "fickan-lexicon" };
// The Background Sync tag under which the service worker sends the outbox.
export const OUTBOX_SYNC_TAG = "fickan-outbox";
// Pages the phone keeps for a start with no network, fetched once after a user's first sync.
export const APP_PAGES = ["/", "/rutiner", "/rapportera", "/rapportera/mina"];

export function isRoutinePath(pathname) {
  const match = /^\/rutiner\/([^/]+)$/.exec(pathname);
  return Boolean(match) && !LIBRARY_PAGES.has(match[1]);
}

// Pages of those who handle reports and run the app (app/privacy.py): never kept on the phone.
export function isNeverCachedPath(pathname) {
  return NEVER_CACHED_PATHS.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}
