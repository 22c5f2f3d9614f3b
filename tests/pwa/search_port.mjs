// Runs the phone's search modules (pwa/js/search/) under Node for tests/pwa/test_search_port.py.
// stdin: {"stems": [word], "roots": [stem], "folds": [text], "content": [text], "terms": [word],
//         "search": {"routines": [{id, search}], "synonyms": [{word, means}], "queries": [text], "nearest": bool}}
// stdout: the same keys with the JavaScript's answers.
// package.json has no "type": "module": a load hook reads the pwa/js files as ES modules.
import { readFileSync } from "node:fs";
import { register } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const pwa = pathToFileURL(path.join(root, "pwa", "js") + path.sep).href;
register("data:text/javascript," + encodeURIComponent(`
export async function load(url, context, nextLoad) {
  if (url.startsWith(${JSON.stringify(pwa)}) && url.endsWith(".js")) return nextLoad(url, { ...context, format: "module" });
  return nextLoad(url, context);
}`));

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const analysis = await import(new URL("search/analysis.js", pwa).href);
const engine = await import(new URL("search/engine.js", pwa).href);
// The word list as the phone stores it (pwa/js/lexicon.js): the JSON file the build publishes.
const { lexicon } = JSON.parse(readFileSync(new URL("generated/lexicon.json", pwa), "utf8"));
const wordlist = analysis.lexiconZipf(lexicon);
const analyser = new analysis.Analyser(wordlist);

const output = {
  stems: (input.stems || []).map(analysis.stem),
  roots: (input.roots || []).map(analysis.root),
  folds: (input.folds || []).map(analysis.fold),
  content: (input.content || []).map(analysis.contentWords),
  terms: (input.terms || []).map((word) => { const term = analyser.term(word); return [term.stem, term.parts, term.stems]; }),
};
if (input.search) {
  const { routines, synonyms, queries, nearest } = input.search;
  const index = new engine.PhoneIndex(routines, wordlist);
  output.search = queries.map((query) => {
    const found = engine.searchIndex(index, synonyms, query, { limit: 20, nearest });
    return { ids: found.ids, corrected: found.corrected, nearest: found.nearest };
  });
}
process.stdout.write(JSON.stringify(output));
