// iPhone users must add Fickan to the home screen themselves; Safari offers no install prompt.
const DISMISSED = "fickan:install-hint-dismissed";

function isIphoneSafariInBrowser() {
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent)
    || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  const installed = navigator.standalone === true || matchMedia("(display-mode: standalone)").matches;
  return ios && !installed;
}

export function wireInstallHint() {
  const hint = document.querySelector("[data-install-hint]");
  if (!hint || !isIphoneSafariInBrowser() || localStorage.getItem(DISMISSED)) return;
  hint.hidden = false;
  hint.querySelector("[data-install-hint-close]")?.addEventListener("click", () => {
    localStorage.setItem(DISMISSED, "1");
    hint.hidden = true;
  });
}
