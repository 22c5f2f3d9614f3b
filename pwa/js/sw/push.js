// Push in the service worker. Every push shows a notification inside waitUntil (Safari revokes
// subscriptions that receive silent pushes). The payload is the Declarative Web Push format
// ({"web_push": 8030, "notification": {title, body, navigate, tag}}), which iPhones can show without
// starting the worker at all; here the worker reads the same format. A push about a routine names
// the routine (`data.kind` "routine", `data.url`): the worker fetches it before showing the
// notification, and a tap opens the routine itself, which the phone then holds.
import { isRoutinePath } from "../cache-names.js";
import { syncThenShow } from "./routine-push.js";

const DEFAULT_URL = "/meddelanden";
const ROUTINE = "routine";
const ICON = "/static/icons/icon-192.png";
export const PUSH_MESSAGE = "fickan:push";

export function notificationOf(data) {
  let message = {};
  try {
    message = data ? data.json() : {};
  } catch {
    message = { notification: { title: "Fickan", body: data?.text() || "" } };
  }
  const notification = message.notification || message;
  const navigate = notification.navigate || notification.url || DEFAULT_URL;
  const routine = notification.data?.kind === ROUTINE ? routinePath(notification.data.url) : null;
  return {
    title: notification.title || "Fickan",
    body: notification.body || "",
    tag: notification.tag || undefined,
    routine,
    // The inbox item's page marks it read and leads to the routine, but is not kept for offline use:
    // a tap opens the routine, and the inbox item is opened in the background.
    url: routine || navigate,
    markRead: routine ? navigate : null,
  };
}

// A routine's page on this origin, as the path the caches know it by; null for anything else.
function routinePath(url) {
  let target;
  try {
    target = new URL(url, self.location.origin);
  } catch {
    return null;
  }
  return target.origin === self.location.origin && isRoutinePath(target.pathname) && !target.search
    ? target.pathname : null;
}

/** What a push does: a routine's push syncs the routines first (bounded), then every push shows. */
export function handlePush(notification) {
  if (!notification.routine) return showPush(notification);
  return syncThenShow(notification.routine, () => showPush(notification));
}

export async function showPush(notification) {
  await self.registration.showNotification(notification.title, {
    body: notification.body,
    tag: notification.tag,
    renotify: Boolean(notification.tag),
    icon: ICON,
    badge: ICON,
    lang: "sv",
    data: { url: notification.url, markRead: notification.markRead },
  });
  // Open pages update their inbox from the server.
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  windows.forEach((client) => client.postMessage({ type: PUSH_MESSAGE, url: notification.url }));
}

// Best effort: offline, the item stays unread in the inbox until it is opened there.
async function markRead(url) {
  const target = url && new URL(url, self.location.origin);
  if (target?.origin !== self.location.origin) return;
  await fetch(target.href, { credentials: "same-origin", cache: "no-store", redirect: "manual" }).catch(() => {});
}

export async function openFromNotification(notification) {
  notification.close();
  const target = new URL(notification.data?.url || DEFAULT_URL, self.location.origin);
  if (target.origin !== self.location.origin) return;
  const marking = markRead(notification.data?.markRead);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname === target.pathname) || windows[0];
  if (open) {
    await open.focus();
    if (new URL(open.url).href !== target.href) await open.navigate(target.href);
  } else {
    await self.clients.openWindow(target.href);
  }
  await marking;
}
