// "Slå på aviseringar" in the settings, the subscription sent again at every start, and the inbox
// brought up to date when a push arrives while a page is open.
import { reloadPart } from "../dom.js";
import { PUSH_MESSAGE } from "../sw/push.js";
import { forgetSubscription, saveOrRenew, subscribe } from "./subscription.js";

const STATES = {
  unsupported: "Den här webbläsaren kan inte ta emot aviseringar. På iPhone: lägg först Fickan på hemskärmen och öppna den därifrån.",
  denied: "Aviseringar är avstängda för Fickan i telefonens inställningar. Slå på dem där om du vill ha dem.",
  on: "Aviseringar är påslagna på den här telefonen.",
  off: "Aviseringar är inte påslagna på den här telefonen.",
};

const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return { registration, subscription: await registration.pushManager.getSubscription() };
}

async function showState(panel) {
  let key = "unsupported";
  if (supported()) {
    const { subscription } = await currentSubscription();
    key = Notification.permission === "denied" ? "denied" : subscription ? "on" : "off";
  }
  const status = panel.querySelector("[data-push-status]");
  if (status) status.textContent = STATES[key];
  panel.querySelector("[data-push-subscribe]")?.toggleAttribute("hidden", key !== "off");
  panel.querySelector("[data-push-unsubscribe]")?.toggleAttribute("hidden", key !== "on");
  panel.querySelector("[data-push-unsupported]")?.toggleAttribute("hidden", key !== "unsupported");
  panel.dataset.pushState = key;
}

export function wirePushSettings(root) {
  const panel = root.querySelector?.("[data-push-settings]");
  if (!panel || panel.dataset.pushWired) return;
  panel.dataset.pushWired = "1";
  showState(panel);
  panel.querySelector("[data-push-subscribe]")?.addEventListener("click", async () => {
    // Asked only on this tap: browsers refuse permission prompts without a user gesture.
    if ((await Notification.requestPermission()) === "granted") {
      const { registration } = await currentSubscription();
      await subscribe(registration).catch((error) => console.warn("Push subscription failed", error));
    }
    await showState(panel);
  });
  panel.querySelector("[data-push-unsubscribe]")?.addEventListener("click", async () => {
    const { subscription } = await currentSubscription();
    if (subscription) {
      await forgetSubscription(subscription).catch(() => {});
      await subscription.unsubscribe();
    }
    await showState(panel);
  });
}

// Chrome never fires pushsubscriptionchange: send the subscription at every start instead.
export async function refreshPushSubscription() {
  if (!supported() || Notification.permission !== "granted") return;
  const { registration, subscription } = await currentSubscription();
  if (subscription) await saveOrRenew(registration, subscription).catch(() => {});
}

export function listenForPushes() {
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type !== PUSH_MESSAGE) return;
    // Only the inbox list: a notice half written on the same page must stay as it is.
    if (document.querySelector("[data-inbox-section]")) reloadPart("#inkorg");
  });
}

// Logout: this phone stops receiving the user's pushes.
export async function dropPushSubscription() {
  if (!supported()) return;
  const { subscription } = await currentSubscription();
  if (!subscription) return;
  await forgetSubscription(subscription).catch(() => {});
  await subscription.unsubscribe().catch(() => {});
}
