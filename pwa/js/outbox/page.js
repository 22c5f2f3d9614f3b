// The outbox in the pages: the pending counters everywhere (reports, and egenkontroll answers apart:
// each counter says what it counts), "Skicka nu", the waiting reports on "Mina rapporter", and when to
// try again (app start, `online`, a timer, Background Sync).
import { OUTBOX_SYNC_TAG } from "../cache-names.js";
import { element, reloadPart } from "../dom.js";
import * as store from "../store.js";
import { announceOutboxChange, kindOf, nextAttemptAt, OUTBOX_CHANNEL, OUTBOX_KINDS, OUTBOX_STATES, sendOutbox } from "./send.js";

const EDIT_PAGE = "/rapportera";

let timer = null;
let owner = null;
let lastCount = null;

function stateLabel(item, what = "rapporten") {
  if (item.state === OUTBOX_STATES.SENDING) return "Skickas";
  if (item.state === OUTBOX_STATES.SIGNED_OUT) return `Logga in igen, så skickas ${what}`;
  if (item.state === OUTBOX_STATES.INVALID) return item.error?.message || "Rapporten behöver ändras innan den kan skickas.";
  return navigator.onLine === false ? "Väntar på nätverk" : "Väntar – försöker igen strax";
}

function outboxEntry(item) {
  const entry = element("li", { class: "list-item report-item outbox-item" });
  entry.dataset.outboxItem = item.uuid;
  entry.dataset.state = item.state;
  const text = item.report.text.length > 200 ? `${item.report.text.slice(0, 200)} …` : item.report.text;
  const saved = new Date(item.savedAt).toLocaleString("sv-SE", { dateStyle: "medium", timeStyle: "short" });
  const photos = item.photos.length ? ` · ${item.photos.length} ${item.photos.length === 1 ? "foto" : "foton"}` : "";
  entry.append(element("span", { class: "list-meta" }, `Sparad ${saved}${photos}`), element("span", { class: "report-excerpt" }, text),
    element("span", { class: `report-status status-${item.state}` }, stateLabel(item)));
  if (item.state === OUTBOX_STATES.INVALID) {
    const actions = element("span", { class: "outbox-actions" });
    const edit = element("a", { class: "button" }, "Ändra och skicka igen");
    edit.href = `${EDIT_PAGE}?andra=${encodeURIComponent(item.uuid)}`;
    const remove = element("button", { class: "button" }, "Ta bort");
    remove.type = "button";
    remove.addEventListener("click", async () => {
      if (!window.confirm("Rapporten är inte skickad. Vill du ta bort den från telefonen?")) return;
      await store.deleteOutboxItem(item.uuid);
      await refresh();
    });
    actions.append(edit, remove);
    entry.append(actions);
  }
  return entry;
}

// "Att göra": egenkontroll answers on the phone. One the server refused can be opened (to change it and send
// again) or removed; it is never removed without the user's word.
function selfCheckEntry(item) {
  const entry = element("li", { class: "list-item outbox-item" });
  entry.dataset.outboxItem = item.uuid;
  entry.dataset.state = item.state;
  const saved = new Date(item.savedAt).toLocaleString("sv-SE", { dateStyle: "medium", timeStyle: "short" });
  const label = item.state === OUTBOX_STATES.INVALID
    ? item.error?.message || "Servern tog inte emot svaren."
    : stateLabel(item, "egenkontrollen");
  entry.append(element("span", { class: "list-title" }, item.title || "Egenkontroll"),
    element("span", { class: "list-meta" }, `Sparad ${saved}`),
    element("span", { class: `report-status status-${item.state}` }, label));
  if (item.state === OUTBOX_STATES.INVALID) {
    const actions = element("span", { class: "outbox-actions" });
    const open = element("a", { class: "button", href: `/att-gora/${item.selfCheck.task_id}` }, "Öppna uppgiften");
    const remove = element("button", { class: "button", type: "button" }, "Ta bort");
    remove.addEventListener("click", async () => {
      if (!window.confirm("Svaren är inte skickade. Vill du ta bort dem från telefonen?")) return;
      await store.deleteOutboxItem(item.uuid);
      announceOutboxChange();
      await refresh();
    });
    actions.append(open, remove);
    entry.append(actions);
  }
  return entry;
}

// "Mina rapporter": show the reports the server now has, with their status.
async function reloadSentReports() {
  if (document.querySelector("[data-outbox]")) await reloadPart("#innehall");
}

function show(selector, count) {
  document.querySelectorAll(`[${selector}]`).forEach((line) => { line.hidden = !count; });
  document.querySelectorAll(`[${selector}-pending]`).forEach((counter) => { counter.textContent = String(count); });
}

async function refresh() {
  if (!owner) return;
  const items = await store.outboxItemsOf(owner);
  const reports = items.filter((item) => kindOf(item) === OUTBOX_KINDS.REPORT);
  // Sent here, in another tab or by the service worker: the server's list has changed.
  const fewer = lastCount !== null && reports.length < lastCount;
  lastCount = reports.length;
  // `data-outbox-pending` counts reports, and only reports (docs/SYNC.md, the fixed points).
  document.querySelectorAll("[data-outbox-pending]").forEach((counter) => { counter.textContent = String(reports.length); });
  show("data-outbox-reports", reports.length);
  show("data-outbox-self-checks", items.length - reports.length);
  document.querySelectorAll("[data-outbox-status]").forEach((status) => { status.hidden = !items.length; });
  const section = document.querySelector("[data-outbox]");
  if (section) {
    section.hidden = !reports.length;
    section.querySelector("[data-outbox-list]")?.replaceChildren(...reports.map(outboxEntry));
  }
  const selfCheckSection = document.querySelector("[data-self-check-outbox]");
  if (selfCheckSection) {
    const selfChecks = items.filter((item) => kindOf(item) === OUTBOX_KINDS.SELF_CHECK);
    selfCheckSection.hidden = !selfChecks.length;
    selfCheckSection.querySelector("[data-self-check-outbox-list]")?.replaceChildren(...selfChecks.map(selfCheckEntry));
  }
  if (fewer && navigator.onLine !== false) {
    await reloadSentReports();
    await refresh();
  }
}

async function scheduleNextTry() {
  clearTimeout(timer);
  const due = await nextAttemptAt(owner);
  if (due !== null) timer = setTimeout(() => send({ force: false }), Math.max(0, due - Date.now()));
}

async function send({ force }) {
  if (!owner) return null;
  // Known to be offline: the `online` event sends; trying now would only fail.
  if (navigator.onLine === false) {
    await refresh();
    return null;
  }
  const result = await sendOutbox({ force, userId: owner });
  await refresh();
  await scheduleNextTry();
  return result;
}

async function askForBackgroundSync() {
  const registration = await navigator.serviceWorker?.ready;
  await registration?.sync?.register(OUTBOX_SYNC_TAG).catch(() => {});
}

// Before logout (docs/SYNC.md, principle 7): send what waits, or have the user confirm losing it.
export async function readyToLogOut() {
  if (!owner) return true;
  let pending = await store.countOutboxOf(owner);
  if (pending && navigator.onLine !== false) {
    await sendNow();
    pending = await store.countOutboxOf(owner);
  }
  if (!pending) return true;
  const items = await store.outboxItemsOf(owner);
  const reports = items.filter((item) => kindOf(item) === OUTBOX_KINDS.REPORT).length;
  const selfChecks = items.length - reports;
  const unsent = [
    reports && (reports === 1 ? "en rapport" : `${reports} rapporter`),
    selfChecks && (selfChecks === 1 ? "en egenkontroll" : `${selfChecks} egenkontroller`),
  ].filter(Boolean).join(" och ");
  const confirmed = window.confirm(`Du har ${unsent} som inte är skickade ännu. Om du loggar ut nu tas de bort `
    + "från telefonen och kommer aldrig fram. Vill du logga ut ändå?");
  if (confirmed) await store.clearOutboxOf(owner);
  return confirmed;
}

export const sendNow = () => send({ force: true });

// A form has just put an item into the outbox (the report form, an egenkontroll): show it, ask for
// Background Sync, and send now. Resolves to the send's summary (null when it did not try).
export async function outboxSaved(userId) {
  owner = owner || userId;
  await refresh();
  announceOutboxChange();
  askForBackgroundSync();
  return sendNow();
}

export async function startOutbox(userId, { signedIn }) {
  owner = userId;
  await refresh();
  if (typeof BroadcastChannel !== "undefined") new BroadcastChannel(OUTBOX_CHANNEL).onmessage = () => refresh();
  document.querySelectorAll("[data-outbox-send-now]").forEach((button) => button.addEventListener("click", sendNow));
  window.addEventListener("online", sendNow);
  window.addEventListener("offline", refresh);
  if (signedIn) {
    if (document.querySelector("form[data-report-form]")) {
      const { wireReportForm } = await import("./form.js");
      wireReportForm(document, { userId, afterSave: () => outboxSaved(userId) });
    }
    await send({ force: false });
  }
}
