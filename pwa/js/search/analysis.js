// Swedish text analysis for the phone's search: a port of app/routines/analysis.py and folding.fold,
// with its tables and numbers generated from the Python (pwa/constants.py → generated/search-constants.js).
import {
  DEFINITE_ENDINGS, DERIVATIONS, DERIVED_ENDINGS, FOLD_TABLE, INFLECTIONS, LINKS, MAX_PARTS, MIN_PART, MIN_PART_ZIPF, MIN_ROOT, MIN_SHORT_PART_ZIPF, NOT_PARTS as NOT_PART_LIST,
  SPLIT_BELOW_ZIPF, SPLIT_MARGIN, STOP_WORDS as STOP_WORD_LIST, SUFFIX_RULES, VERB_ENDING, INTENT_WORDS as INTENT_WORD_LIST,
} from "../generated/search-constants.js";
import { snowballSwedish } from "./swedish-stemmer.js";

export const STOP_WORDS = new Set(STOP_WORD_LIST);
// Verbs that in a question ask for a kind of answer, not for a topic (analysis.INTENT_WORDS).
export const INTENT_WORDS = new Set(INTENT_WORD_LIST);
export const NOT_PARTS = new Set(NOT_PART_LIST);
const WORD = /[\p{L}\p{N}]+/gu; // Python's [^\W_]+
const ALPHA = /^\p{L}+$/u;
const DIGITS = /^\p{Nd}+$/u;

export const isAlpha = (word) => ALPHA.test(word);

// Lower case without diacritics, one character for each character (folding.fold).
export function fold(text) {
  let lower = text.toLowerCase();
  if (lower.length !== text.length) lower = [...text].map((c) => (c.toLowerCase().length === 1 ? c.toLowerCase() : c)).join("");
  let folded = "";
  for (const character of lower) folded += FOLD_TABLE[character] ?? character;
  return folded;
}

export const tokens = (text) => fold(text).match(WORD) || [];

export function contentWords(text) {
  return tokens(text).filter((word) => !STOP_WORDS.has(word) && (word.length > 1 || DIGITS.test(word)));
}

const stems = new Map();

// Snowball Swedish, then SUFFIX_RULES; numbers and short words as they are.
export function stem(word) {
  if (!isAlpha(word) || word.length < 3) return word;
  let found = stems.get(word);
  if (found === undefined) {
    found = snowballSwedish(word);
    for (const [ending, replacement, shortest] of SUFFIX_RULES) {
      if (found.endsWith(ending) && found.length - ending.length >= shortest) {
        found = found.slice(0, -ending.length) + replacement;
        break;
      }
    }
    if (stems.size > 50000) stems.clear();
    stems.set(word, found);
  }
  return found;
}

// Spoken Swedish clips a compound to its first part and -is (analysis.CLIPPED, analysis.clipped_base).
const CLIPPED = /^(\p{L}{3,}?)is(?:ar|arna|en|ens)?$/u;
export function clippedBase(word) {
  const found = CLIPPED.exec(word);
  return found ? found[1] : null;
}

// The root a stem shares with the other word classes of its word: undernar for undernard and undernaring (root).
export function root(termStem) {
  for (const ending of DERIVED_ENDINGS) {
    if (termStem.endsWith(ending) && termStem.length - ending.length >= MIN_ROOT) return termStem.slice(0, -ending.length);
  }
  return termStem;
}

// The last part carries the compound's inflection (tand|protesen); the others may end in a linking letter.
function partZipf(part, zipf, last) {
  const candidates = [part];
  if (last) {
    for (const ending of DEFINITE_ENDINGS) {
      if (part.endsWith(ending) && part.length - ending.length >= MIN_PART + 1) candidates.push(part.slice(0, -ending.length));
    }
  } else {
    for (const [written, word] of LINKS) {
      if (part.endsWith(written) && part.length - written.length >= MIN_PART) candidates.push(part.slice(0, part.length - written.length) + word);
    }
  }
  let best = [0, ""];
  for (const word of candidates) {
    if (STOP_WORDS.has(word) || NOT_PARTS.has(word) || word.length < MIN_PART) continue;
    const frequency = zipf(word);
    const needed = word.length <= 3 ? MIN_SHORT_PART_ZIPF : MIN_PART_ZIPF;
    if (frequency >= needed && frequency > best[0]) best = [frequency, word];
  }
  // A first part that is no word may be a verb's stem (passer|bricka: passera).
  if (!best[1] && !last && part.length >= MIN_PART + 1 && zipf(part + VERB_ENDING) >= MIN_PART_ZIPF) {
    return [zipf(part + VERB_ENDING), part + VERB_ENDING];
  }
  return best;
}

// The indefinite form of a noun in its definite form, when the word list knows it at least as well (base_form).
export function baseForm(word, zipf) {
  const own = zipf(word);
  for (const ending of DEFINITE_ENDINGS) {
    const base = word.slice(0, -ending.length);
    if (word.endsWith(ending) && base.length >= MIN_PART + 1 && zipf(base) >= Math.max(own, MIN_PART_ZIPF)) return base;
  }
  return null;
}

// How common a word is, or the word it inflects, or the verb it is the noun of (word_zipf).
export function wordZipf(word, zipf) {
  const forms = [word];
  for (const ending of INFLECTIONS) {
    if (word.endsWith(ending) && word.length - ending.length >= 4) forms.push(word.slice(0, -ending.length));
  }
  const verbs = [];
  for (const form of forms) {
    for (const [ending, verb] of DERIVATIONS) {
      if (form.endsWith(ending) && form.length - ending.length >= MIN_PART) verbs.push(form.slice(0, -ending.length) + verb);
    }
  }
  return Math.max(...[...forms, ...verbs].map((form) => zipf(form)));
}

// The known words a folded compound is made of ("nyckelforlust" → nyckel, forlust); [] if none.
export function splitCompound(word, zipf, wholeZipf = zipf) {
  if (word.length < 2 * MIN_PART || !isAlpha(word)) return [];
  const whole = wordZipf(word, wholeZipf);
  if (whole >= SPLIT_BELOW_ZIPF) return [];
  const best = new Map([[0, [0, []]]]); // end → [sum of zipf, parts]
  for (let end = MIN_PART; end <= word.length; end += 1) {
    let chosen = null;
    for (const [start, [total, parts]] of best) {
      if (end - start < MIN_PART || parts.length >= MAX_PARTS || (start === 0 && end === word.length)) continue;
      const [frequency, part] = partZipf(word.slice(start, end), zipf, end === word.length);
      if (!part) continue;
      const option = [-parts.length, (total + frequency) / (parts.length + 1), total + frequency, [...parts, part]];
      if (!chosen || option[0] > chosen[0] || (option[0] === chosen[0] && option[1] > chosen[1])) chosen = option;
    }
    if (chosen) best.set(end, [chosen[2], chosen[3]]);
  }
  const found = best.get(word.length);
  if (!found || found[1].length < 2) return [];
  const [total, parts] = found;
  return total / parts.length >= whole + SPLIT_MARGIN ? parts : [];
}

// Turns words into terms with one lexicon for compounds (analysis.Analyser).
export class Analyser {
  constructor(zipf, wholeZipf = zipf) {
    this.zipf = zipf;
    this.wholeZipf = wholeZipf;
    this.cache = new Map();
  }

  term(word) {
    let term = this.cache.get(word);
    if (!term) {
      const parts = [...new Set(splitCompound(word, this.zipf, this.wholeZipf).map(stem))];
      const base = isAlpha(word) ? baseForm(word, this.wholeZipf) : null;
      const baseStem = base ? stem(base) : null;
      const stems = baseStem && baseStem !== stem(word) ? [stem(word), baseStem] : [stem(word)];
      term = { word, stem: stem(word), parts, stems };
      this.cache.set(word, term);
    }
    return term;
  }

  terms(text) {
    return contentWords(text).map((word) => this.term(word));
  }
}

// Zipf-like frequencies of the library's own words: 3 for a word one routine uses, 4 for one ten use.
export function indexZipf(counts) {
  return (word) => {
    const count = counts.get(word) || 0;
    return count ? 3.0 + Math.log10(count) : 0.0;
  };
}

export const combinedZipf = (...sources) => (word) => Math.max(...sources.map((source) => source(word)));

// The packed word list of pwa/constants.py (packed_lexicon) as a Zipf function.
export function lexiconZipf(packed) {
  const frequencies = new Map();
  for (const [key, words] of Object.entries(packed)) {
    const frequency = Number(key) / 100;
    let previous = "";
    for (const [, shared, rest] of words.matchAll(/(\d)(\D*)/g)) {
      previous = previous.slice(0, Number(shared)) + rest;
      frequencies.set(previous, frequency);
    }
  }
  return (word) => frequencies.get(word) || 0.0;
}
