// The service worker: only wires events; strategies and the precache list live in their modules.
// The report outbox slots in here as one more module with a `sync` listener.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { precacheList, release } from "./precache.js";
import * as strategies from "./strategies.js";

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data?.type === "GET_RELEASE") event.ports?.[0]?.postMessage(release());
});

clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(precacheList());

const { matchers } = strategies;
registerRoute(matchers.routineImage, strategies.routineImages);
registerRoute(matchers.staticFile, strategies.staticFilesWithShellFallback);
registerRoute(matchers.htmxFragment, strategies.htmxFragments);
registerRoute(matchers.routinePage, strategies.routinePages);
registerRoute(matchers.page, strategies.pages);
registerRoute(matchers.uncachedPage, strategies.pagesNeverCached);
setCatchHandler(strategies.offlineFallback);
