// Push in the service worker. Every push shows a notification inside waitUntil (Safari revokes
// subscriptions that receive silent pushes). The payload is the Declarative Web Push format
// ({"web_push": 8030, "notification": {title, body, navigate, tag}}), which iPhones can show without
// starting the worker at all; here the worker reads the same format.
const DEFAULT_URL = "/meddelanden";
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
  return {
    title: notification.title || "Fickan",
    body: notification.body || "",
    tag: notification.tag || undefined,
    url: notification.navigate || notification.url || DEFAULT_URL,
  };
}

export async function showPush(notification) {
  await self.registration.showNotification(notification.title, {
    body: notification.body,
    tag: notification.tag,
    renotify: Boolean(notification.tag),
    icon: ICON,
    badge: ICON,
    lang: "sv",
    data: { url: notification.url },
  });
  // Open pages update their inbox from the server.
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  windows.forEach((client) => client.postMessage({ type: PUSH_MESSAGE, url: notification.url }));
}

export async function openFromNotification(notification) {
  notification.close();
  const target = new URL(notification.data?.url || DEFAULT_URL, self.location.origin);
  if (target.origin !== self.location.origin) return;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname === target.pathname) || windows[0];
  if (open) {
    await open.focus();
    if (new URL(open.url).href !== target.href) await open.navigate(target.href);
  } else {
    await self.clients.openWindow(target.href);
  }
}
