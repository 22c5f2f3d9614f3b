// Checklist ticks during a visit: kept on this phone only (localStorage), per user and routine version; logout
// clears them, and another user signing in clears the others' (session.js repeats the prefix and the key's start).
const PREFIX = "fickan:checklist:";

// The user is in the key: ticks made on the first page after signing in, before the phone has noted who it now
// belongs to, must survive that noting.
function storageKey(article) {
  const user = document.querySelector('meta[name="fickan-user"]')?.content || "";
  return `${PREFIX}${user}:${article.dataset.routine}:v${article.dataset.version}`;
}

function readTicks(key) {
  try {
    return new Set(JSON.parse(localStorage.getItem(key) || "[]"));
  } catch {
    return new Set();
  }
}

export function wireChecklists(root) {
  root.querySelectorAll("article[data-routine]").forEach((article) => {
    const boxes = article.querySelectorAll("input[data-check-item]");
    if (!boxes.length || article.dataset.checklistWired) return;
    article.dataset.checklistWired = "1";
    const key = storageKey(article);
    const ticks = readTicks(key);
    boxes.forEach((box) => {
      box.checked = ticks.has(box.dataset.checkItem);
      box.addEventListener("change", () => {
        if (box.checked) ticks.add(box.dataset.checkItem);
        else ticks.delete(box.dataset.checkItem);
        localStorage.setItem(key, JSON.stringify([...ticks]));
      });
    });
    article.querySelector("[data-checklist-reset]")?.addEventListener("click", () => {
      ticks.clear();
      localStorage.removeItem(key);
      boxes.forEach((box) => { box.checked = false; });
    });
  });
}
