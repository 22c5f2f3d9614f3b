// "Slå på aviseringar" in the settings, the subscription sent again at every start, and the inbox
// brought up to date when a push arrives while a page is open.
import { PUSH_MESSAGE } from "../sw/push.js";
import { forgetSubscription, saveSubscription, subscribe } from "./subscription.js";

const STATES = {
  unsupported: "Den här webbläsaren kan inte ta emot aviseringar. På iPhone: lägg först Fickan på hemskärmen och öppna den därifrån.",
  denied: "Aviseringar är avstängda för Fickan i telefonens inställningar. Slå på dem där om du vill ha dem.",
  on: "Aviseringar är påslagna på den här telefonen.",
  off: "Aviseringar är avstängda på den här telefonen.",
};

const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return { registration, subscription: await registration.pushManager.getSubscription() };
}

async function showState(panel) {
  const state = panel.querySelector("[data-push-state]");
  const button = panel.querySelector("[data-push-subscribe]");
  const off = panel.querySelector("[data-push-unsubscribe]");
  let key = "unsupported";
  if (supported()) {
    const { subscription } = await currentSubscription();
    key = Notification.permission === "denied" ? "denied" : subscription ? "on" : "off";
  }
  if (state) state.textContent = STATES[key];
  if (button) button.hidden = key !== "off";
  if (off) off.hidden = key !== "on";
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
  const { subscription } = await currentSubscription();
  if (subscription) await saveSubscription(subscription).catch(() => {});
}

export function listenForPushes() {
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type !== PUSH_MESSAGE) return;
    if (document.querySelector("[data-inbox]") && window.htmx) {
      window.htmx.ajax("GET", location.pathname, { target: "#innehall", select: "#innehall", swap: "outerHTML" });
    }
  });
}
