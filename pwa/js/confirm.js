// Asks before a destructive form is sent. Replaces inline onclick handlers, which the CSP forbids.
export function wireConfirmButtons(root) {
  root.querySelectorAll("form[data-confirm]").forEach((form) => {
    if (form.dataset.confirmWired) return;
    form.dataset.confirmWired = "1";
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}
