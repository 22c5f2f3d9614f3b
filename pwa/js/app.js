// Entry point of the page bundle: wires htmx and the small behaviours of the app shell.
import htmx from "htmx.org";
import { wireConfirmButtons } from "./confirm.js";

window.htmx = htmx;

document.addEventListener("DOMContentLoaded", () => {
  wireConfirmButtons(document);
});
document.addEventListener("htmx:load", (event) => wireConfirmButtons(event.target));
