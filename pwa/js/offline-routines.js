// The routine list and search over the routines stored on the phone, for when there is no network.
// The search is the server's (pwa/js/search/: the same analysis and ranking), over what the routines
// feed carries for each routine; its top five equals the server's (bench/search_quality.py).
import { element } from "./dom.js";
import * as store from "./store.js";
import { storedLexicon } from "./lexicon.js";
import { fold, lexiconZipf } from "./search/analysis.js";
import { PhoneIndex, searchIndex } from "./search/engine.js";
import { Synonyms } from "./search/synonyms.js";
import { ROUTINE_KIND_LABELS } from "./generated/constants.js";

const RESULT_LIMIT = 30; // as /rutiner?q= on the server
const SNIPPET_RADIUS = 60;

let cached = { key: null, index: null, synonyms: null, routines: new Map(), lexicon: false };
let wordlist = null;
const NO_WORDLIST = () => 0.0;

// The Swedish word list that splits compounds, from its own cache (pwa/js/lexicon.js). Without it (not fetched
// yet) the search still finds the words as typed and the library's own compounds, and the page says so.
async function loadWordlist() {
  if (!wordlist) {
    const packed = await storedLexicon();
    if (!packed) return null;
    wordlist = lexiconZipf(packed);
  }
  return wordlist;
}

async function currentIndex() {
  const [syncedAt, zipf] = await Promise.all([store.getMeta("syncedAt"), loadWordlist()]);
  const key = `${syncedAt}:${Boolean(zipf)}`;
  if (!cached.index || cached.key !== key) {
    const [routines, synonyms] = await Promise.all([store.allRoutines(), store.getMeta("synonyms")]);
    cached = {
      key,
      index: new PhoneIndex(routines, zipf || NO_WORDLIST),
      synonyms: new Synonyms(synonyms || []),
      routines: new Map(routines.map((routine) => [routine.id, routine])),
      lexicon: Boolean(zipf),
    };
  }
  return cached;
}

/**
 * The phone's answer to `query`: {hits (routine records, best first), alternatives, corrected, nearest}. With
 * `nearest` (as the page), the nearest routines when nothing matches.
 */
export async function searchOnPhone(query, { nearest = true } = {}) {
  const { index, synonyms, routines, lexicon } = await currentIndex();
  const found = searchIndex(index, synonyms, query, { limit: RESULT_LIMIT, nearest });
  return { ...found, hits: found.ids.map((id) => routines.get(id)).filter(Boolean), lexicon };
}

// A stretch of the body around the first word that matched, the word marked.
function snippet(text, alternatives) {
  const folded = fold(text || "");
  let at = -1;
  for (const stem of alternatives) {
    const match = new RegExp(`(?<![\\p{L}\\p{N}])${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "u").exec(folded)
      || { index: folded.indexOf(stem) };
    if (match.index >= 0 && (at < 0 || match.index < at)) at = match.index;
  }
  if (at < 0) return null;
  let length = 1;
  while (at + length < folded.length && /[\p{L}\p{N}]/u.test(folded[at + length])) length += 1;
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(text.length, at + length + SNIPPET_RADIUS);
  const span = element("span", { class: "snippet" });
  span.append(`${start > 0 ? "…" : ""}${text.slice(start, at)}`, element("mark", {}, text.slice(at, at + length)),
    `${text.slice(at + length, end)}${end < text.length ? "…" : ""}`);
  return span;
}

function routineLink(routine, ...meta) {
  const item = element("li", { class: "list-item" });
  const link = element("a");
  link.href = routine.url;
  link.append(element("span", { class: "list-title" }, routine.title));
  link.append(...meta.filter(Boolean));
  item.append(link);
  return item;
}

const kindLabel = (routine) => ROUTINE_KIND_LABELS[routine.kind] || "Rutin";
// A record stored before the feed carried the unit has none: say nothing rather than "all units".
const unitLabel = (routine) => (routine.unit === undefined ? "" : routine.unit || "Gäller alla enheter");

function meaning(query, corrected) {
  const paragraph = element("p", {}, "Menade du ");
  const link = element("a", {}, corrected);
  link.href = `/rutiner?q=${encodeURIComponent(corrected)}`;
  paragraph.append(link, "?");
  return paragraph;
}

// As the server's results (templates/routines/_results.html), said to be the routines on the phone.
export function renderResults(container, query, { hits, alternatives, corrected, nearest, lexicon = true }) {
  const count = hits.length;
  const summary = nearest || !count
    ? element("p", { class: "muted" }, `Ingen rutin på telefonen hittades för ”${query}”.`)
    : element("p", { class: "muted" }, `${count} ${count === 1 ? "träff" : "träffar"} på ”${query}” bland rutinerna på telefonen`);
  summary.setAttribute("role", "status");
  const parts = [summary];
  if (corrected && count) parts.push(meaning(query, corrected));
  if (nearest && count) parts.push(element("h2", {}, "Rutiner som liknar din sökning"));
  if (count) {
    const list = element("ol", { class: "list results" });
    // Kind and unit as the server shows them: two routines with the same title are told apart.
    hits.forEach((hit) => list.append(routineLink(hit,
      element("span", { class: "muted" }, unitLabel(hit) ? `${kindLabel(hit)} · ${unitLabel(hit)}` : kindLabel(hit)),
      snippet(hit.text, alternatives))));
    parts.push(list);
  } else {
    parts.push(element("p", {}, "Prova ett annat ord, eller färre ord. Telefonen söker bara bland de rutiner den har "
      + "hämtat; med nätet söker Fickan bland alla."));
  }
  // Said only when it is so: the word list is not in its cache on this phone.
  if (!lexicon) {
    parts.push(element("p", { class: "muted", "data-no-lexicon": "" }, "Telefonen har inte hämtat ordlistan för "
      + "sammansatta ord än, så sökningen kan missa rutiner där ordet bara finns som en del av ett längre ord."));
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
    members.forEach((routine) => list.append(routineLink(routine, element("span", { class: "list-meta" },
      `${kindLabel(routine)}${routine.unit ? ` · ${routine.unit}` : ""}`))));
    details.append(summary, list);
    return details;
  });
  container.replaceChildren(...groups);
  container.dataset.fromPhone = "1";
  return true;
}
