// The push subscription of this phone, kept in step with the server. No DOM: the service worker
// uses it too (pushsubscriptionchange).
import { currentSession } from "../session-api.js";

const SUBSCRIPTIONS = "/api/v1/push/subscriptions";
const KEY = "/api/v1/push/key";

function bytesOfBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
}

async function csrfToken() {
  const session = await currentSession();
  if (!session) throw new Error("session: signed out");
  return session.csrfToken;
}

async function callServer(method, body) {
  const response = await fetch(SUBSCRIPTIONS, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": await csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw Object.assign(new Error(`push subscription: ${response.status}`), { status: response.status });
}

// The server never hands an endpoint from one user to another: 409 while the login it was made in lasts.
const ENDPOINT_TAKEN = 409;

export async function serverKey() {
  const response = await fetch(KEY, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`push key: ${response.status}`);
  return bytesOfBase64Url((await response.json()).public_key);
}

export const saveSubscription = (subscription) => callServer("POST", subscription.toJSON());
export const forgetSubscription = (subscription) => callServer("DELETE", { endpoint: subscription.endpoint });

async function newSubscription(registration) {
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: await serverKey() });
}

// Save this browser's subscription; if it is still someone else's, end it here (its endpoint stops working
// for them too) and save a fresh one for the user now signed in.
export async function saveOrRenew(registration, subscription) {
  try {
    await saveSubscription(subscription);
    return subscription;
  } catch (error) {
    if (error.status !== ENDPOINT_TAKEN) throw error;
  }
  await subscription.unsubscribe();
  const fresh = await newSubscription(registration);
  await saveSubscription(fresh);
  return fresh;
}

export async function subscribe(registration) {
  return saveOrRenew(registration, await newSubscription(registration));
}

export async function renewSubscription(registration, oldSubscription, newSubscription) {
  if (oldSubscription) await forgetSubscription(oldSubscription).catch(() => {});
  const subscription = newSubscription || await subscribe(registration);
  if (newSubscription) await saveSubscription(subscription);
}
