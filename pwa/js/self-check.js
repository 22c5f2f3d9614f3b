// A half-answered egenkontroll survives a closed tab and no signal: the answers are kept on this phone
// (localStorage, per task and form version) as they are given, put back when the form opens again, and
// removed once the server shows the task as sent. "Skicka in" is an ordinary form post; without a connection
// the phone keeps the answers and says so instead of losing them to an error page.
const PREFIX = "fickan:selfcheck:";

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || "{}");
  } catch {
    return {};
  }
}

function answerFields(form) {
  return [...form.elements].filter((field) => /^q-\d+$/.test(field.name));
}

function collect(form) {
  const answers = {};
  answerFields(form).forEach((field) => {
    if (field.type === "radio") {
      if (field.checked) answers[field.name] = field.value;
    } else if (field.value) {
      answers[field.name] = field.value;
    }
  });
  return answers;
}

function answeredOnPage(form) {
  return Object.keys(collect(form)).length > 0;
}

function restore(form, answers) {
  answerFields(form).forEach((field) => {
    if (!(field.name in answers)) return;
    if (field.type === "radio") field.checked = field.value === answers[field.name];
    else field.value = answers[field.name];
  });
}

function say(form, text) {
  const status = form.querySelector("[data-self-check-status]");
  if (status) {
    status.textContent = text;
    status.hidden = !text;
  }
}

export function wireSelfChecks(root) {
  root.querySelectorAll("[data-self-check-sent]").forEach((element) => {
    const prefix = `${PREFIX}${element.dataset.selfCheckSent}-`;
    Object.keys(localStorage).filter((key) => key.startsWith(prefix)).forEach((key) => localStorage.removeItem(key));
  });
  root.querySelectorAll("form[data-self-check]").forEach((form) => {
    if (form.dataset.selfCheckWired) return;
    form.dataset.selfCheckWired = "1";
    const key = `${PREFIX}${form.dataset.selfCheck}`;
    // Answers the server sent back (a refused send) are newer than the phone's copy.
    if (!answeredOnPage(form)) restore(form, read(key));
    const save = () => {
      localStorage.setItem(key, JSON.stringify(collect(form)));
      say(form, "Svaren är sparade på telefonen.");
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", (event) => {
      save();
      if (navigator.onLine === false) {
        event.preventDefault();
        say(form, "Du är utan täckning. Svaren är sparade på telefonen – tryck Skicka in igen när du har täckning.");
      }
    });
  });
}

// For logout: nothing of a user's answers stays on the phone.
export function clearSelfChecks() {
  Object.keys(localStorage).filter((key) => key.startsWith(PREFIX)).forEach((key) => localStorage.removeItem(key));
}
