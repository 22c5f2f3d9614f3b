// Checklist ticks during a visit: kept on this phone only (localStorage), per routine version; logout clears
// them (session.js repeats the prefix).
const PREFIX = "fickan:checklist:";

function storageKey(article) {
  return `${PREFIX}${article.dataset.routine}:v${article.dataset.version}`;
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
