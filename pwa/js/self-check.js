// An egenkontroll on the phone. A half-answered one survives a closed tab and no signal: the answers are
// kept in the phone's database (IndexedDB, per user, task and form version) as they are given and put
// back when the form opens again. "Skicka in" puts the finished answers into the outbox beside the
// reports (docs/SYNC.md), which sends them to the server exactly once, now or when the phone has network
// again; the half-done copy goes then, its answers now live in the outbox until the server has them.
// Without JavaScript the form posts as an ordinary page.
import { element } from "./dom.js";
import * as store from "./store.js";
import { kindOf, newOutboxItem, OUTBOX_CHANNEL, OUTBOX_KINDS, OUTBOX_STATES, storeFailureText } from "./outbox/send.js";

// Where drafts were kept before (localStorage, "fickan:selfcheck:<task>-<version>"): moved into the
// database once, on the first page with a form.
const OLD_PREFIX = "fickan:selfcheck:";

const WAITING = {
  title: "Sparad på telefonen – skickas när telefonen har nätverk",
  text: "Svaren ligger kvar på telefonen tills servern har tagit emot dem.",
};
const SIGNED_OUT = {
  title: "Sparad på telefonen – skickas när du har loggat in igen",
  text: "Svaren ligger kvar på telefonen tills servern har tagit emot dem.",
};
const SENDING = { title: "Skickar …", text: "Svaren är sparade på telefonen och skickas nu." };

function answerFields(form) {
  return [...form.elements].filter((field) => /^q-\d+$/.test(field.name));
}

// The answers as the API takes them: {question id: value}, unanswered questions left out.
function collect(form) {
  const answers = {};
  answerFields(form).forEach((field) => {
    const id = field.name.slice(2);
    if (field.type === "radio") {
      if (field.checked) answers[id] = field.value;
    } else if (field.value) {
      answers[id] = field.value;
    }
  });
  return answers;
}

function restore(form, answers) {
  answerFields(form).forEach((field) => {
    const id = field.name.slice(2);
    if (!(id in answers)) return;
    if (field.type === "radio") field.checked = field.value === answers[id];
    else field.value = answers[id];
  });
}

function unanswered(form, answers) {
  return [...form.querySelectorAll("[data-answer-required]")]
    .filter((question) => !(answers[question.dataset.question.slice(2)] || "").trim());
}

function lock(form, locked) {
  answerFields(form).forEach((field) => { field.disabled = locked; });
  form.querySelector('button[type="submit"]').disabled = locked;
}

function sayDraft(form, text) {
  const status = form.querySelector("[data-self-check-status]");
  if (status) {
    status.textContent = text;
    status.hidden = !text;
  }
}

function showOutcome(form, message, { error = false } = {}) {
  let shown = document.querySelector("[data-self-check-saved]");
  if (!shown) {
    shown = element("div", { role: "status", "data-self-check-saved": "" });
    form.before(shown);
  }
  shown.className = `flash ${error ? "flash-error" : "flash-success"}`;
  shown.replaceChildren(element("p", {}, message.title), element("p", {}, message.text));
  shown.scrollIntoView?.({ block: "center" });
}

function sentMessage(receipt) {
  const actions = receipt?.actions || 0;
  const opened = actions ? ` ${actions} ${actions === 1 ? "åtgärd har" : "åtgärder har"} skapats och ligger under Att göra.` : "";
  return { title: "Skickad", text: `Egenkontrollen har kommit fram.${opened}` };
}

async function moveOldDrafts(userId) {
  for (const name of Object.keys(localStorage).filter((key) => key.startsWith(OLD_PREFIX))) {
    const match = /^(\d+)-(\d+)$/.exec(name.slice(OLD_PREFIX.length));
    if (match) {
      const [task, version] = [Number(match[1]), Number(match[2])];
      const key = store.draftKey(userId, task, version);
      let answers = {};
      try {
        // The old copy was keyed by field name ("q-12").
        answers = Object.fromEntries(Object.entries(JSON.parse(localStorage.getItem(name)) || {})
          .map(([field, value]) => [field.replace(/^q-/, ""), value]));
      } catch {
        answers = {};
      }
      if (!(await store.getDraft(key))) await store.putDraft({ key, user: userId, task, version, answers, savedAt: Date.now() });
    }
    localStorage.removeItem(name);
  }
}

async function waitingItemOf(userId, task) {
  const items = await store.outboxItemsOf(userId);
  return items.find((item) => kindOf(item) === OUTBOX_KINDS.SELF_CHECK && item.selfCheck.task_id === task) || null;
}

async function wireForm(form, { userId, afterSave }) {
  const task = Number(form.dataset.task);
  const version = Number(form.dataset.version);
  const key = store.draftKey(userId, task, version);
  // The uuid of this task's answers in the outbox: never two answer sets for one task from this phone.
  let pending = null;
  // The server's receipt for it (how many actions the answers opened), once heard.
  let receipt = null;

  async function showState(heard) {
    if (!pending) return;
    receipt = heard || receipt;
    const item = await store.outboxItem(pending);
    if (!item) {
      // The outbox lets an item go only on the server's 200/201: now the server has the answers.
      showOutcome(form, sentMessage(receipt));
      lock(form, true);
      sayDraft(form, "");
      return;
    }
    if (item.state === OUTBOX_STATES.INVALID) {
      showOutcome(form, { title: "Egenkontrollen kunde inte skickas",
        text: item.error?.message || "Servern tog inte emot svaren." }, { error: true });
      lock(form, false); // the answers can be changed and sent again
      return;
    }
    lock(form, true);
    if (item.state === OUTBOX_STATES.SENDING) showOutcome(form, SENDING);
    else showOutcome(form, item.state === OUTBOX_STATES.SIGNED_OUT ? SIGNED_OUT : WAITING);
  }

  const waiting = await waitingItemOf(userId, task);
  if (waiting) {
    pending = waiting.uuid;
    restore(form, waiting.selfCheck.answers);
    await showState();
  } else if (!Object.keys(collect(form)).length) {
    // Answers the server sent back (a refused page post) are newer than the phone's copy.
    const draft = await store.getDraft(key);
    if (draft) restore(form, draft.answers);
  }

  if (typeof BroadcastChannel !== "undefined") {
    new BroadcastChannel(OUTBOX_CHANNEL).onmessage = (event) => {
      if (pending) showState(event.data?.sent === pending ? event.data.receipt : undefined);
    };
  }

  const save = async () => {
    try {
      // Refused by the server and being changed: the changes go into the outbox's copy, sent on "Skicka in".
      if (pending) {
        await store.updateOutboxItem(pending, { selfCheck: { uuid: pending, task_id: task, version_id: version, answers: collect(form) } });
        return;
      }
      await store.putDraft({ key, user: userId, task, version, answers: collect(form), savedAt: Date.now() });
      sayDraft(form, "Svaren är sparade på telefonen.");
    } catch {
      sayDraft(form, "Svaren kunde inte sparas på telefonen.");
    }
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = collect(form);
    const missing = unanswered(form, answers);
    if (missing.length) {
      sayDraft(form, "Svara på alla frågor med svarsalternativ eller tal innan du skickar in. Svaren du har gett är sparade på telefonen.");
      missing[0].querySelector("input, textarea")?.focus();
      return;
    }
    // A refused answer set is sent again under its own uuid: the server never stored it.
    const uuid = pending || crypto.randomUUID();
    lock(form, true);
    try {
      await store.putOutboxItem(newOutboxItem(uuid, userId, {
        kind: OUTBOX_KINDS.SELF_CHECK,
        selfCheck: { uuid, task_id: task, version_id: version, answers },
        title: document.querySelector("h1")?.textContent || "",
      }));
    } catch (error) {
      showOutcome(form, {
        title: "Svaren kunde inte sparas",
        text: storeFailureText(error, "Frigör utrymme på telefonen och försök igen."),
      }, { error: true });
      lock(form, false);
      return;
    }
    pending = uuid;
    sayDraft(form, "");
    await store.deleteDraftsOfTask(userId, task).catch(() => {});
    if (navigator.onLine === false) {
      showOutcome(form, WAITING);
      afterSave();
      return;
    }
    showOutcome(form, SENDING);
    let result = null;
    try {
      result = await afterSave();
    } finally {
      await showState(result?.receipts?.[uuid]);
    }
  });
}

export async function wireSelfChecks(root, { userId, afterSave }) {
  if (!userId) return;
  await moveOldDrafts(userId).catch(() => {});
  // The server shows the task as done: nothing of it is half-done on this phone any more.
  for (const done of root.querySelectorAll("[data-self-check-sent]")) {
    await store.deleteDraftsOfTask(userId, Number(done.dataset.selfCheckSent)).catch(() => {});
  }
  for (const form of root.querySelectorAll("form[data-self-check]")) {
    if (form.dataset.selfCheckWired) continue;
    form.dataset.selfCheckWired = "1";
    await wireForm(form, { userId, afterSave });
  }
}
