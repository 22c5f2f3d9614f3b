// The report form on the phone: photos made small and shown as thumbnails, a warning for personal
// identity numbers, and "Skicka" that stores the report in the outbox first — online or not.
import { element } from "../dom.js";
import * as store from "../store.js";
import { personalNumbersIn, withoutPersonalNumbers } from "./personal-number.js";
import { downscalePhoto, PhotoUnreadable } from "./photos.js";
import { newOutboxItem, storeFailureText } from "./send.js";
import { MAX_PHOTOS, WARNED_FIELDS } from "../generated/constants.js";

const LIST_FIELDS = ["affected", "topics"];
const OPTIONAL_FIELDS = ["harm", "place", "client_reference", "immediate_action"];
const EDIT_PARAMETER = "andra";
const WAITING_ON_PHONE = {
  title: "Sparad på telefonen",
  text: "Rapporten skickas så snart telefonen har nätverk. Du ser den under Mina rapporter.",
};

function localNow() {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

// The answers as the API's JSON carries them (app/reports/schemas.py); blank optional ones left out.
function answersOf(form, uuid) {
  const data = new FormData(form);
  const report = { uuid, created_at: new Date().toISOString(), text: (data.get("text") || "").trim() };
  LIST_FIELDS.forEach((name) => { report[name] = data.getAll(name); });
  OPTIONAL_FIELDS.forEach((name) => {
    const value = (data.get(name) || "").trim();
    if (value) report[name] = value;
  });
  const occurred = data.get("occurred_at");
  if (occurred) report.occurred_at = new Date(occurred).toISOString();
  const unit = data.get("unit_id");
  if (unit) report.unit_id = Number(unit);
  if (data.get("bypass_manager") === "true") report.bypass_manager = true;
  return report;
}

function fillForm(form, report) {
  form.elements.text.value = report.text || "";
  LIST_FIELDS.concat(["harm"]).forEach((name) => {
    const chosen = [].concat(report[name] || []);
    form.querySelectorAll(`input[name="${name}"]`).forEach((input) => { input.checked = chosen.includes(input.value); });
  });
  ["place", "client_reference", "immediate_action"].forEach((name) => {
    if (form.elements[name]) form.elements[name].value = report[name] || "";
  });
  if (report.occurred_at && form.elements.occurred_at) {
    const moment = new Date(report.occurred_at);
    moment.setMinutes(moment.getMinutes() - moment.getTimezoneOffset());
    form.elements.occurred_at.value = moment.toISOString().slice(0, 16);
  }
  if (report.unit_id && form.elements.unit_id) form.elements.unit_id.value = String(report.unit_id);
  form.querySelectorAll('input[name="bypass_manager"]').forEach((input) => {
    input.checked = input.value === String(Boolean(report.bypass_manager));
  });
}

class PhotoPicker {
  constructor(form) {
    this.input = form.querySelector('input[type="file"][name="photos"]');
    this.photos = [];
    this.list = element("ul", { class: "photo-list", "aria-label": "Valda foton" });
    this.message = element("p", { class: "hint", "aria-live": "polite" });
    this.input.after(this.message, this.list);
    this.input.addEventListener("change", () => this.add([...this.input.files]));
  }

  async add(files) {
    this.input.value = "";
    for (const file of files) {
      if (this.photos.length >= MAX_PHOTOS) {
        this.message.textContent = `Högst ${MAX_PHOTOS} foton får plats i en rapport.`;
        break;
      }
      this.message.textContent = "Förbereder foto …";
      try {
        const { blob } = await downscalePhoto(file);
        this.photos.push({ blob, name: `foto-${this.photos.length + 1}.jpg`, type: "image/jpeg" });
        this.message.textContent = "";
      } catch (error) {
        if (!(error instanceof PhotoUnreadable)) throw error;
        this.message.textContent = "Filen gick inte att läsa som ett foto. Välj en annan bild.";
      }
    }
    this.render();
  }

  load(photos) {
    this.photos = photos.map((photo) => ({ ...photo }));
    this.render();
  }

  remove(position) {
    this.photos.splice(position, 1);
    this.render();
    this.input.focus();
  }

  render() {
    this.list.querySelectorAll("img").forEach((img) => URL.revokeObjectURL(img.src));
    this.list.replaceChildren(...this.photos.map((photo, position) => {
      const item = element("li", { class: "photo-item" });
      item.append(element("img", { src: URL.createObjectURL(photo.blob), alt: `Foto ${position + 1}` }));
      const remove = element("button", { type: "button", class: "button" }, `Ta bort foto ${position + 1}`);
      remove.addEventListener("click", () => this.remove(position));
      item.append(remove);
      return item;
    }));
    this.list.hidden = !this.photos.length;
  }

  clear() {
    this.photos = [];
    this.render();
  }
}

function showTextError(form, message) {
  const field = form.elements.text;
  let error = form.querySelector("[data-text-error]");
  if (!message) {
    error?.remove();
    field.removeAttribute("aria-invalid");
    return;
  }
  if (!error) {
    error = element("p", { class: "error", id: "text-fel-telefon", "data-text-error": "" });
    field.after(error);
  }
  error.textContent = message;
  field.setAttribute("aria-invalid", "true");
  field.setAttribute("aria-describedby", "text-hjalp text-fel-telefon");
  field.focus();
}

// Asks once per send; resolves to "remove", "keep" or null when nothing was found.
function askAboutPersonalNumbers(form) {
  const found = WARNED_FIELDS.some((name) => personalNumbersIn(form.elements[name]?.value).length);
  if (!found) return Promise.resolve(null);
  form.querySelector("[data-phone-personal-number-warning]")?.remove();
  const warning = element("div", { class: "personal-number-warning", role: "alert", "data-phone-personal-number-warning": "" });
  warning.append(
    element("h2", {}, "Det ser ut som ett personnummer"),
    element("p", {}, "Skriv helst inte personnummer i rapporten. Vi kan ta bort det åt dig innan rapporten sparas."),
  );
  const actions = element("div", { class: "warning-actions" });
  const remove = element("button", { type: "button", class: "button button-primary" }, "Ta bort personnumret och skicka");
  const keep = element("button", { type: "button", class: "button" }, "Skicka ändå");
  actions.append(remove, keep);
  warning.append(actions);
  form.prepend(warning);
  remove.focus();
  return new Promise((resolve) => {
    remove.addEventListener("click", () => { warning.remove(); resolve("remove"); });
    keep.addEventListener("click", () => { warning.remove(); resolve("keep"); });
  });
}

function showSaved(form, message) {
  let saved = document.querySelector("[data-report-saved]");
  if (!saved) {
    saved = element("div", { class: "flash flash-success", role: "status", "data-report-saved": "" });
    form.before(saved);
  }
  saved.replaceChildren(element("p", {}, message.title), element("p", {}, message.text));
  saved.scrollIntoView?.({ block: "center" });
}

export function wireReportForm(root, { userId, afterSave }) {
  const form = root.querySelector?.("form[data-report-form]");
  if (!form || form.dataset.outboxWired || !userId) return;
  form.dataset.outboxWired = "1";
  const picker = new PhotoPicker(form);
  // A page from the phone's cache may be days old: "when" starts as now.
  if (form.elements.occurred_at) form.elements.occurred_at.value = localNow();
  let editing = new URLSearchParams(location.search).get(EDIT_PARAMETER);
  if (editing) {
    store.outboxItem(editing).then((item) => {
      if (!item || item.user !== userId) { editing = null; return; }
      fillForm(form, item.report);
      picker.load(item.photos);
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.elements.text.value.trim()) {
      showTextError(form, "Skriv med några ord vad som hände.");
      return;
    }
    showTextError(form, null);
    const decision = await askAboutPersonalNumbers(form);
    if (decision === "remove") {
      WARNED_FIELDS.forEach((name) => { if (form.elements[name]) form.elements[name].value = withoutPersonalNumbers(form.elements[name].value); });
    }
    // A new identity for every new report: the uuid in a cached page would make reports collide.
    const uuid = editing || crypto.randomUUID();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await store.putOutboxItem(newOutboxItem(uuid, userId, { report: answersOf(form, uuid), photos: picker.photos }));
    } catch (error) {
      showSaved(form, {
        title: "Rapporten kunde inte sparas",
        text: storeFailureText(error, "Ta bort något foto, eller frigör utrymme på telefonen, och försök igen."),
      });
      button.disabled = false;
      return;
    }
    form.reset();
    picker.clear();
    if (form.elements.occurred_at) form.elements.occurred_at.value = localNow();
    if (editing) history.replaceState(null, "", location.pathname);
    editing = null;
    button.disabled = false;
    if (navigator.onLine === false) {
      showSaved(form, WAITING_ON_PHONE);
      afterSave();
      return;
    }
    showSaved(form, { title: "Skickar …", text: "Rapporten är sparad på telefonen och skickas nu." });
    try {
      await afterSave();
    } finally {
      // "Skickad" only when the server has it: the outbox lets an item go only on the server's 200/201.
      const waiting = await store.outboxItem(uuid);
      showSaved(form, waiting ? WAITING_ON_PHONE : {
        title: "Skickad",
        text: "Rapporten har kommit fram. Du ser den under Mina rapporter.",
      });
    }
  });
}
