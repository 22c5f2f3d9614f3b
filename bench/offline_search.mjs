// Runs the phone's offline search (pwa/js/offline-routines.js and pwa/js/search/, unchanged) under Node for
// bench/search_quality.py.
//
// stdin: {"routines": [records as routines-sync.js stores them, `search` included], "synonyms": [...],
//         "queries": ["...", ...]}
// stdout: {"results": [[routine id, ...] best first, one list per query]}
//
// The module is imported as it is, with the generated modules the build writes (pwa/js/generated/: run
// `python -m pwa.constants pwa/js/generated/constants.js` or the build first; bench/search_quality.py does).
// Two things stand between it and Node, and both are handled here without touching app code:
// package.json has no "type": "module", so the pwa/js files are loaded as ES modules by a load hook; and
// ./store.js is the phone's IndexedDB (idb), which Node lacks, so a resolve hook hands offline-routines.js
// an in-memory store with the same two functions it uses (allRoutines, getMeta), filled with the records
// the phone would hold. ./lexicon.js reads the word list from the phone's Cache Storage, which Node lacks too:
// its stub gives the list pwa/constants.py writes (generated/lexicon.json), the file the phone stores.
// dom.js is imported but only used when drawing results, which the bench never does.
// The search runs without "nearest" routines, as app.routines.search.search_routines() on the server side.
import { readFileSync } from "node:fs";
import { register } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pwaDir = pathToFileURL(path.join(root, "pwa", "js") + path.sep).href;
const moduleUrl = new URL("offline-routines.js", pwaDir).href;

const storeStub = `
const data = globalThis.__fickanBenchStore;
export const allRoutines = async () => data.routines.map((routine) => ({ ...routine }));
export const getMeta = async (key) => data.meta[key];
`;
const lexiconStub = `
export const storedLexicon = async () => globalThis.__fickanBenchLexicon;
`;

const hooks = `
const PWA = ${JSON.stringify(pwaDir)};
const OFFLINE = ${JSON.stringify(moduleUrl)};
const STUB = "data:text/javascript," + encodeURIComponent(${JSON.stringify(storeStub)});
const LEXICON_STUB = "data:text/javascript," + encodeURIComponent(${JSON.stringify(lexiconStub)});
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "./store.js" && context.parentURL === OFFLINE) return { url: STUB, shortCircuit: true };
  if (specifier === "./lexicon.js" && context.parentURL === OFFLINE) return { url: LEXICON_STUB, shortCircuit: true };
  return nextResolve(specifier, context);
}
export async function load(url, context, nextLoad) {
  if (url.startsWith(PWA) && url.endsWith(".js")) return nextLoad(url, { ...context, format: "module" });
  return nextLoad(url, context);
}
`;

register("data:text/javascript," + encodeURIComponent(hooks));

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const input = await readStdin();
globalThis.__fickanBenchLexicon = JSON.parse(readFileSync(new URL("generated/lexicon.json", pwaDir), "utf8")).lexicon;
globalThis.__fickanBenchStore = { routines: input.routines, meta: { syncedAt: 1, synonyms: input.synonyms } };
const { searchOnPhone } = await import(moduleUrl);
const results = [];
for (const query of input.queries) {
  const { hits } = await searchOnPhone(query, { nearest: false });
  results.push(hits.map((hit) => hit.id));
}
process.stdout.write(JSON.stringify({ results }));
