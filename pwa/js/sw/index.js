// The service worker: only wires events; strategies and the precache list live in their modules.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { OUTBOX_SYNC_TAG } from "../cache-names.js";
import { keepLexicon } from "../lexicon.js";
import { sendOutbox } from "../outbox/send.js";
import * as store from "../store.js";
import { precacheList, release } from "./precache.js";
import { handlePush, notificationOf, openFromNotification } from "./push.js";
import { renewSubscription } from "../push/subscription.js";
import * as strategies from "./strategies.js";

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data?.type === "GET_RELEASE") event.ports?.[0]?.postMessage(release());
});

clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(precacheList());

const { matchers } = strategies;
registerRoute(matchers.neverCached, strategies.pagesNeverCached);
registerRoute(matchers.routineImage, strategies.routineImages);
registerRoute(matchers.staticFile, strategies.staticFilesWithShellFallback);
registerRoute(matchers.htmxFragment, strategies.htmxFragments);
registerRoute(matchers.routinePage, strategies.routinePages);
registerRoute(matchers.page, strategies.pages);
registerRoute(matchers.uncachedPage, strategies.pagesNeverCached);
setCatchHandler(strategies.offlineFallback);

self.addEventListener("activate", (event) => {
  event.waitUntil(strategies.dropNeverCachedPages().catch(() => {}));
  // A new build may bring a new word list: a phone that has synced fetches it now, not at its next sync, and
  // the old one goes. Not waited for: the pages should not wait for 375 kB before this worker serves them.
  store.getMeta("token").then((token) => (token ? keepLexicon() : null)).catch(() => {});
});

// Background Sync, where the browser has it: one trigger of the outbox (reports and egenkontroll answers)
// among several (the pages also send on start, on `online`, on a timer and on "Skicka nu"). Failing
// makes the browser retry.
self.addEventListener("sync", (event) => {
  if (event.tag !== OUTBOX_SYNC_TAG) return;
  event.waitUntil(sendOutbox({ force: true }).then((result) => {
    if (result.waiting) throw new Error("items are still waiting in the outbox");
  }));
});

self.addEventListener("push", (event) => {
  event.waitUntil(handlePush(notificationOf(event.data)));
});

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(openFromNotification(event.notification));
});

// The push service replaced the subscription (Firefox; Chrome never fires this, so pages also
// send the subscription again at every start).
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(renewSubscription(self.registration, event.oldSubscription, event.newSubscription));
});
