// Sends the outbox to the server (docs/SYNC.md): reports, and the answers of an egenkontroll. Runs in
// a page and in the service worker's `sync` event alike, so it touches no DOM. An item leaves the outbox
// only when the server has answered 200/201 with this item's uuid: a 500, a timeout or a captive
// portal's page is a retry.
import { LOCKS } from "../cache-names.js";
import { currentSession } from "../session-api.js";
import * as store from "../store.js";
import { retryDelay } from "./backoff.js";

// A slow 3G upload of a report with five photos takes a while; never wait for ever.
const SEND_TIMEOUT_MS = 120_000;

export const OUTBOX_STATES = { WAITING: "waiting", SENDING: "sending", INVALID: "invalid", SIGNED_OUT: "signed-out" };
// Items stored before there were two kinds carry no kind: they are reports.
export const OUTBOX_KINDS = { REPORT: "report", SELF_CHECK: "self-check" };
export const OUTBOX_CHANNEL = "fickan-outbox";

export const kindOf = (item) => item.kind || OUTBOX_KINDS.REPORT;

// A record put into the outbox by a form: waiting, never tried. `body` is what its kind sends.
export function newOutboxItem(uuid, userId, body) {
  return {
    uuid, user: userId, photos: [], ...body,
    state: OUTBOX_STATES.WAITING, attempts: 0, nextAttemptAt: 0, savedAt: Date.now(), error: null,
  };
}

// What a form says when the phone could not store its record; `makeRoom` says how to free space.
export const storeFailureText = (error, makeRoom) => (error?.name === "QuotaExceededError"
  ? `Telefonen har inte plats. ${makeRoom}` : "Något gick fel på telefonen. Försök igen.");

// `sent`: the uuid of an item the server has just stored, with the server's receipt.
export function announceOutboxChange(detail = {}) {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(OUTBOX_CHANNEL);
  channel.postMessage({ type: "changed", ...detail });
  channel.close();
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function reportRequest(item) {
  // A fresh body from the stored data on every try: a re-created request can lose its body (Safari).
  const body = new FormData();
  body.append("report", new Blob([JSON.stringify(item.report)], { type: "application/json" }), "report.json");
  item.photos.forEach((photo, position) => body.append("photos", photo.blob, photo.name || `foto-${position + 1}.jpg`));
  return { url: "/api/v1/reports", body, headers: {} };
}

function selfCheckRequest(item) {
  return { url: "/api/v1/self-checks", body: JSON.stringify(item.selfCheck), headers: { "Content-Type": "application/json" } };
}

async function post(item, csrfToken) {
  const { url, body, headers } = kindOf(item) === OUTBOX_KINDS.SELF_CHECK ? selfCheckRequest(item) : reportRequest(item);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
  try {
    return await fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { ...headers, "X-CSRFToken": csrfToken, Accept: "application/json" },
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

// Refusals that trying again cannot change; an egenkontroll may also be refused because the task is no
// longer the user's (403), which retrying cannot fix either.
const REFUSALS = {
  [OUTBOX_KINDS.REPORT]: [400, 409, 413, 422],
  [OUTBOX_KINDS.SELF_CHECK]: [400, 403, 409, 413, 422],
};

async function outcomeOf(response, item) {
  const body = await readJson(response);
  if ((response.status === 200 || response.status === 201) && body?.uuid === item.uuid) return { kind: "sent", receipt: body };
  if (response.status === 401) return { kind: "signed-out" };
  if (response.status === 400 && body?.error?.code === "csrf_failed") return { kind: "stale-token" };
  if (REFUSALS[kindOf(item)].includes(response.status) && body?.error) return { kind: "invalid", error: body.error };
  return { kind: "retry" };
}

async function sendItem(item, session) {
  try {
    let outcome = await outcomeOf(await post(item, session.csrfToken), item);
    if (outcome.kind === "stale-token") {
      const renewed = await currentSession();
      if (!renewed) return { kind: "signed-out" };
      session.csrfToken = renewed.csrfToken;
      outcome = await outcomeOf(await post(item, session.csrfToken), item);
    }
    return outcome.kind === "stale-token" ? { kind: "retry" } : outcome;
  } catch {
    return { kind: "retry" }; // offline, connection cut, timeout
  }
}

async function postpone(item, force) {
  const attempts = (force ? 0 : item.attempts || 0) + 1;
  await store.updateOutboxItem(item.uuid, {
    state: OUTBOX_STATES.WAITING, attempts, nextAttemptAt: Date.now() + retryDelay(attempts),
  });
}

async function sendAll({ force, userId }) {
  const summary = { sent: 0, waiting: 0, signedOut: false, receipts: {} };
  if (userId && !(await store.countOutboxOf(userId))) return summary;
  let session;
  try {
    session = await currentSession();
  } catch {
    session = undefined; // no network or no server: every due item waits its turn
  }
  if (session === null) {
    summary.signedOut = true;
    if (userId) {
      for (const item of await store.outboxItemsOf(userId)) {
        if (item.state !== OUTBOX_STATES.INVALID) await store.updateOutboxItem(item.uuid, { state: OUTBOX_STATES.SIGNED_OUT });
      }
    }
    return summary;
  }
  const owner = session ? session.user : userId;
  if (!owner) return summary;
  for (const item of await store.outboxItemsOf(owner)) {
    if (item.state === OUTBOX_STATES.INVALID) continue;
    if (!force && (item.nextAttemptAt || 0) > Date.now()) {
      summary.waiting += 1;
      continue;
    }
    if (!session) {
      await postpone(item, force);
      summary.waiting += 1;
      continue;
    }
    await store.updateOutboxItem(item.uuid, { state: OUTBOX_STATES.SENDING });
    announceOutboxChange();
    const outcome = await sendItem(item, session);
    let change = {};
    if (outcome.kind === "sent") {
      await store.deleteOutboxItem(item.uuid);
      if (kindOf(item) === OUTBOX_KINDS.SELF_CHECK) await store.deleteDraftsOfTask(item.user, item.selfCheck.task_id).catch(() => {});
      summary.sent += 1;
      summary.receipts[item.uuid] = outcome.receipt;
      change = { sent: item.uuid, receipt: outcome.receipt };
    } else if (outcome.kind === "signed-out") {
      await store.updateOutboxItem(item.uuid, { state: OUTBOX_STATES.SIGNED_OUT });
      summary.signedOut = true;
      break;
    } else if (outcome.kind === "invalid") {
      await store.updateOutboxItem(item.uuid, { state: OUTBOX_STATES.INVALID, error: outcome.error });
    } else {
      await postpone(item, force);
      summary.waiting += 1;
    }
    announceOutboxChange(change);
  }
  return summary;
}

/**
 * Sends what is due in the outbox of the signed-in user. `force` (the user pressed "Skicka nu", or
 * the network came back) sends everything now and starts the backoff over.
 * One sender at a time across tabs and the service worker; the server's uuid check covers the rest.
 */
export async function sendOutbox({ force = false, userId = null } = {}) {
  const run = () => sendAll({ force, userId });
  const result = globalThis.navigator?.locks ? await navigator.locks.request(LOCKS.outbox, run) : await run();
  announceOutboxChange();
  return result;
}

// When the next try is due, for a timer in the page.
export async function nextAttemptAt(userId) {
  const due = (await store.outboxItemsOf(userId))
    .filter((item) => item.state !== OUTBOX_STATES.INVALID)
    .map((item) => item.nextAttemptAt || 0);
  return due.length ? Math.min(...due) : null;
}
