// The routine list and search over the routines stored on the phone, for when there is no network.
// Same tolerance as the server where it can: no diacritics needed, parts of compound words,
// small typos, and the synonym list quality staff keep.
import MiniSearch from "minisearch";
import { element } from "./dom.js";
import * as store from "./store.js";
import { fold, words } from "./text.js";
import { ROUTINE_KIND_LABELS } from "./generated/constants.js";

const SHORTEST_PART = 4; // "fall" inside "fallprevention" counts; shorter parts are noise
const LONG_WORD = 8; // only long words are compounds worth splitting
const RESULT_LIMIT = 30;
const SNIPPET_RADIUS = 60;

let cached = { key: null, index: null, synonyms: [] };

// Index every word and, for long words, each of their endings: a prefix search over endings
// finds a word anywhere inside a compound ("hantering" in "läkemedelshantering").
function indexTerms(term) {
  const folded = fold(term);
  if (folded.length < LONG_WORD) return folded;
  const terms = [folded];
  for (let start = 1; start <= folded.length - SHORTEST_PART; start += 1) terms.push(folded.slice(start));
  return terms;
}

function buildIndex(routines) {
  const index = new MiniSearch({
    fields: ["title", "tags", "category", "text"],
    storeFields: ["title", "url", "kind", "category", "text"],
    extractField: (document, field) => (field === "tags" ? (document.tags || []).join(" ") : document[field]),
    processTerm: indexTerms,
    searchOptions: {
      processTerm: (term) => fold(term),
      boost: { title: 4, tags: 3, category: 1.5, text: 1 },
      prefix: true,
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      combineWith: "AND",
    },
  });
  index.addAll(routines);
  return index;
}

async function currentIndex() {
  const key = await store.getMeta("syncedAt");
  if (!cached.index || cached.key !== key) {
    cached = { key, index: buildIndex(await store.allRoutines()), synonyms: (await store.getMeta("synonyms")) || [] };
  }
  return cached;
}

function alternativesFor(word, synonyms) {
  const means = synonyms.filter((synonym) => fold(synonym.word) === word).map((synonym) => synonym.means);
  return [word, ...means];
}

export async function searchOnPhone(query) {
  const { index, synonyms } = await currentIndex();
  const queryWords = words(query);
  if (!queryWords.length) return { words: [], hits: [] };
  const tree = {
    combineWith: "AND",
    queries: queryWords.map((word) => ({ combineWith: "OR", queries: alternativesFor(word, synonyms) })),
  };
  const hits = index.search(tree).slice(0, RESULT_LIMIT);
  return { words: queryWords.flatMap((word) => alternativesFor(word, synonyms).flatMap(words)), hits };
}

// A stretch of the body around the first word that matched, the match marked.
function snippet(text, queryWords) {
  const folded = fold(text || "");
  let at = -1;
  let length = 0;
  for (const word of queryWords) {
    const position = folded.indexOf(word.slice(0, Math.max(SHORTEST_PART, word.length - 1)));
    if (position >= 0 && (at < 0 || position < at)) {
      at = position;
      length = word.length;
    }
  }
  if (at < 0) return null;
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(text.length, at + length + SNIPPET_RADIUS);
  const span = element("span", { class: "snippet" });
  span.append(`${start > 0 ? "…" : ""}${text.slice(start, at)}`, element("mark", {}, text.slice(at, at + length)),
    `${text.slice(at + length, end)}${end < text.length ? "…" : ""}`);
  return span;
}

function routineLink(routine, meta) {
  const item = element("li", { class: "list-item" });
  const link = element("a");
  link.href = routine.url;
  link.append(element("span", { class: "list-title" }, routine.title));
  if (meta) link.append(meta);
  item.append(link);
  return item;
}

export function renderResults(container, query, { words: queryWords, hits }) {
  const count = hits.length;
  const summary = element("p", { class: "muted" }, `${count} ${count === 1 ? "träff" : "träffar"} på ”${query}” bland rutinerna på telefonen`);
  summary.setAttribute("role", "status");
  const parts = [summary];
  if (count) {
    const list = element("ol", { class: "list results" });
    hits.forEach((hit) => list.append(routineLink(hit, snippet(hit.text, queryWords))));
    parts.push(list);
  } else {
    parts.push(element("p", {}, "Ingen rutin på telefonen hittades. Prova ett annat ord, eller färre ord."));
  }
  container.replaceChildren(...parts);
}

export async function renderCatalogue(container) {
  const routines = await store.allRoutines();
  if (!routines.length) return false;
  const categories = new Map();
  routines
    .sort((a, b) => a.category.localeCompare(b.category, "sv") || a.title.localeCompare(b.title, "sv"))
    .forEach((routine) => {
      if (!categories.has(routine.category)) categories.set(routine.category, []);
      categories.get(routine.category).push(routine);
    });
  const groups = [...categories].map(([category, members], position) => {
    const details = element("details", { class: "category" });
    details.open = position === 0;
    const summary = element("summary");
    summary.append(element("span", { class: "category-name" }, category), " ", element("span", { class: "muted" }, `(${members.length})`));
    const list = element("ul", { class: "list" });
    members.forEach((routine) => list.append(routineLink(routine, element("span", { class: "list-meta" }, ROUTINE_KIND_LABELS[routine.kind] || routine.kind))));
    details.append(summary, list);
    return details;
  });
  container.replaceChildren(...groups);
  container.dataset.fromPhone = "1";
  return true;
}
