// Entry point of the page bundle: wires htmx and the small behaviours of the app shell.
import htmx from "htmx.org";
import { wireChecklists } from "./checklist.js";
import { wireConfirmButtons } from "./confirm.js";

window.htmx = htmx;

function wire(root) {
  wireConfirmButtons(root);
  wireChecklists(root);
}

document.addEventListener("DOMContentLoaded", () => wire(document));
document.addEventListener("htmx:load", (event) => wire(event.target));
