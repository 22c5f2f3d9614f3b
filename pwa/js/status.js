// Honest status in the app shell: online or not, when the routines were last brought up to date,
// what the sync is doing, and problems the user can do something about.
import * as store from "./store.js";

const PROBLEMS = {
  "signed-out": "Du behöver logga in igen för att rutinerna på telefonen ska uppdateras.",
  quota: "Telefonen har inte plats för alla rutiner. Frigör utrymme på telefonen och öppna Fickan igen.",
  server: "Rutinerna kunde inte uppdateras just nu. Fickan försöker igen.",
  network: "Alla rutiner kunde inte hämtas. Fickan försöker igen när nätet är bättre.",
};

const sameDay = (a, b) => a.toDateString() === b.toDateString();

export function formatMoment(timestamp) {
  const moment = new Date(timestamp);
  const time = moment.toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
  if (sameDay(moment, new Date())) return `i dag ${time}`;
  return `${moment.toLocaleDateString("sv-SE", { day: "numeric", month: "short" })} ${time}`;
}

export const isOffline = () => navigator.onLine === false;

export async function showConnection() {
  const status = document.querySelector("[data-connection-status]");
  if (!status) return;
  const syncedAt = await store.getMeta("syncedAt").catch(() => null);
  const state = isOffline() ? "Offline" : "Online";
  status.textContent = syncedAt ? `${state} · Rutiner uppdaterade ${formatMoment(syncedAt)}` : state;
  status.dataset.state = isOffline() ? "offline" : "online";
  status.hidden = false;
}

export function showSyncProgress(done, total) {
  const progress = document.querySelector("[data-sync-progress]");
  if (!progress) return;
  progress.hidden = !total || done >= total;
  progress.textContent = total ? `Hämtar rutiner ${done} av ${total}` : "";
}

export function showProblem(kind) {
  const warning = document.querySelector("[data-storage-warning]");
  if (!warning) return;
  warning.textContent = PROBLEMS[kind] || "";
  warning.hidden = !PROBLEMS[kind];
}

// On a routine page read without network: say how old the copy on the phone is.
export async function showFetchedAt() {
  const article = document.querySelector("article[data-routine]");
  if (!article || !isOffline() || article.querySelector("[data-fetched-at]")) return;
  const routine = await store.routineBySlug(article.dataset.routine).catch(() => null);
  if (!routine) return;
  const note = document.createElement("p");
  note.className = "fetched-at";
  note.dataset.fetchedAt = String(routine.fetched_at);
  note.textContent = `Offline – hämtad till telefonen ${formatMoment(routine.fetched_at)}`;
  article.querySelector("h1")?.after(note);
}
