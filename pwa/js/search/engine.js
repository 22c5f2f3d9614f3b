// The server's search over the routines on the phone: a port of app/routines/search_index.py (the index,
// from what the routines feed carries per routine) and app/routines/search.py (query analysis and ranking).
import {
  COMPOUND_WEIGHT, DERIVED_WEIGHT, FIELD_B, FIELD_LENGTHS, FIELD_WEIGHTS, INTENT_WEIGHT, K1, MAX_QUERY_WORDS, MIN_PART, MIN_PART_STEM, MIN_PART_ZIPF, MIN_PIECE,
  MIN_QUERY_LENGTH, MIN_TYPO_PIECE, NEAREST_WEIGHT, PART_WEIGHT, PREFIX_LIMIT, PREFIX_WEIGHT, SYNONYM_WEIGHT, TYPO_WEIGHT,
} from "../generated/search-constants.js";
import {
  Analyser, INTENT_WORDS, NOT_PARTS, STOP_WORDS, clippedBase, combinedZipf, contentWords, fold, indexZipf, root, stem, tokens,
} from "./analysis.js";
import { Synonyms } from "./synonyms.js";
import { Vocabulary, damerauLevenshtein } from "./typos.js";

// BM25 per field, weighted and summed (SearchIndex._weight); `counts` and `lengths` in FIELDS order.
function weight(counts, lengths) {
  let total = 0.0;
  counts.forEach((count, field) => {
    if (!count) return;
    const norm = K1 * (1 - FIELD_B[field] + FIELD_B[field] * lengths[field] / FIELD_LENGTHS[field]);
    total += FIELD_WEIGHTS[field] * count * (K1 + 1) / (count + norm);
  });
  return total;
}

export class PhoneIndex {
  // `routines`: records with `search` as the feed gives it (SearchIndex.phone_document); `wordlist`: a Zipf function.
  constructor(routines, wordlist) {
    this.documents = new Map();
    this.whole = new Map();
    this.part = new Map();
    const counts = new Map();
    for (const routine of routines) {
      const analysed = routine.search;
      if (!analysed) continue;
      this.documents.set(routine.id, { id: routine.id, titleStems: analysed.title, words: analysed.words });
      for (const [postings, found] of [[this.whole, analysed.whole], [this.part, analysed.part]]) {
        for (const [termStem, fieldCounts] of Object.entries(found)) {
          if (!postings.has(termStem)) postings.set(termStem, new Map());
          postings.get(termStem).set(routine.id, weight(fieldCounts, analysed.lengths));
        }
      }
      for (const word of analysed.words) counts.set(word, (counts.get(word) || 0) + 1);
    }
    this.wordCounts = counts;
    this.analyser = new Analyser(combinedZipf(wordlist, indexZipf(counts)), wordlist);
    this.sortedStems = null;
    this.roots = null;
    this.vocabularyCache = null;
  }

  idf(postings) {
    const count = this.documents.size;
    return Math.log(1 + (count - postings.size + 0.5) / (postings.size + 0.5));
  }

  hasStem(termStem) {
    return this.whole.has(termStem) || this.part.has(termStem);
  }

  stemsStartingWith(prefix, limit = PREFIX_LIMIT) {
    if (!this.sortedStems) this.sortedStems = [...this.whole.keys()].sort();
    const found = this.sortedStems.filter((termStem) => termStem.startsWith(prefix));
    return found.sort((a, b) => this.whole.get(b).size - this.whole.get(a).size).slice(0, limit);
  }

  // Whole-word stems of other word classes of the same word (SearchIndex.related_stems).
  relatedStems(termStem) {
    if (!this.roots) {
      this.roots = new Map();
      for (const known of [...this.whole.keys()].sort()) {
        const found = root(known);
        if (!this.roots.has(found)) this.roots.set(found, []);
        this.roots.get(found).push(known);
      }
    }
    return (this.roots.get(root(termStem)) || []).filter((known) => known !== termStem);
  }

  vocabulary() {
    if (!this.vocabularyCache) this.vocabularyCache = new Vocabulary(this.wordCounts);
    return this.vocabularyCache;
  }
}

// One word (or synonym phrase) of the query and the stems that satisfy it (search.QueryWord).
class QueryWord {
  constructor(word, options = [], correction = null) {
    this.word = word;
    this.options = options;
    this.correction = correction;
  }

  add(termStem, optionWeight, group = 0, parts = true) {
    this.options.push({ stem: termStem, kind: "w", weight: optionWeight, group });
    if (parts && termStem.length >= 3) this.options.push({ stem: termStem, kind: "p", weight: optionWeight * PART_WEIGHT, group });
  }

  get alternatives() {
    return [...new Set(this.options.map((option) => option.stem).filter((termStem) => termStem.length >= 3))];
  }
}

// The query's words in the order typed, repeats kept: phrases are looked for in these (search._typed_words).
export function typedWords(text) {
  const folded = fold((text || "").normalize("NFC")).trim();
  if (folded.length < MIN_QUERY_LENGTH) return [];
  return tokens(folded).filter((word) => word.length >= MIN_QUERY_LENGTH);
}

export function queryWords(text) {
  return [...new Set(typedWords(text))].slice(0, MAX_QUERY_WORDS * 2);
}

const stemsOf = (term) => contentWords(term).map(stem);
const matches = (queryWord, index) => queryWord.options.some((option) => index.hasStem(option.stem));

function runTogether(word, index) {
  let best = null;
  for (let cut = 2; cut < word.length - 1; cut += 1) {
    const first = stem(word.slice(0, cut));
    const second = stem(word.slice(cut));
    if (!index.whole.has(first) || !index.whole.has(second)) continue;
    const candidate = [Math.min(index.whole.get(first).size, index.whole.get(second).size), first, second];
    if (!best || candidate[0] > best[0] || (candidate[0] === best[0] && (candidate[1] > best[1]
      || (candidate[1] === best[1] && candidate[2] > best[2])))) best = candidate;
  }
  return best ? [best[1], best[2]] : [];
}

/** The longest start and end of an unsplittable compound that are words of the library (search._known_pieces). */
function knownPieces(word, index) {
  if (index.vocabulary().nearest(word) !== null) return [];
  const pieces = [];
  for (let cut = word.length - MIN_PART; cut >= MIN_PIECE; cut -= 1) {
    const found = stem(word.slice(0, cut));
    if (found.length >= MIN_PIECE && index.whole.has(found)) { pieces.push(found); break; }
  }
  for (let cut = MIN_PART; cut <= word.length - MIN_PIECE; cut += 1) {
    const found = stem(word.slice(cut));
    if (found.length >= MIN_PIECE && index.whole.has(found)) { pieces.push(found); break; }
  }
  return [...new Set(pieces)];
}

/** A compound with a typo in its second half: [[stems of its halves], the word meant] or null (query_compounds.compound_typo). */
function compoundTypo(word, index) {
  const vocabulary = index.vocabulary();
  for (let cut = word.length - MIN_TYPO_PIECE; cut >= MIN_PIECE; cut -= 1) {
    const start = stem(word.slice(0, cut));
    if (start.length < MIN_PIECE || !index.whole.has(start)) continue;
    const rest = word.slice(cut);
    if (index.analyser.zipf(rest) >= MIN_PART_ZIPF) return null;
    const meant = vocabulary.corrections(rest).filter((known) => damerauLevenshtein(rest, known, 1) <= 1);
    return meant.length ? [[start, stem(meant[0])], word.slice(0, cut) + meant[0]] : null;
  }
  return null;
}

/** A compound cut in two where both halves are words of the library or of the thesaurus, the first half
 * perhaps ending in a linking s: the stems of the halves, the longest first half first (query_compounds.library_split). */
function librarySplit(word, index, synonyms) {
  const known = (piece) => {
    const found = stem(piece);
    return found.length >= MIN_PART_STEM && (index.whole.has(found) || synonyms.meaning(piece, found).length > 0);
  };
  for (let cut = word.length - MIN_PIECE; cut >= MIN_PIECE; cut -= 1) {
    const rest = word.slice(cut);
    if (STOP_WORDS.has(rest) || NOT_PARTS.has(rest) || !known(rest)) continue;
    for (const first of [word.slice(0, cut), word[cut - 1] === "s" ? word.slice(0, cut - 1) : null]) {
      if (first && first.length >= MIN_PIECE && known(first)) return [stem(first), stem(rest)];
    }
  }
  return [];
}

// A term a synonym means, and, when the library never uses it, what the thesaurus says it means in turn, and
// else its compound parts (search._add_meaning).
function addMeaning(queryWord, term, optionWeight, synonyms, index, group = 0) {
  const found = stemsOf(term);
  for (const termStem of found) queryWord.add(termStem, optionWeight, group);
  if (found.length && !term.includes(" ") && !found.some((termStem) => index.hasStem(termStem))) {
    for (const further of synonyms.meaning(term, found[0])) {
      for (const termStem of stemsOf(further)) queryWord.add(termStem, optionWeight * SYNONYM_WEIGHT, group);
    }
    if (!matches(queryWord, index)) {
      for (const part of index.analyser.term(tokens(term)[0]).parts) queryWord.add(part, optionWeight * COMPOUND_WEIGHT, group);
    }
  }
}

// The parts a word is searched by too (query_compounds.compound_parts).
function compoundParts(word, term, queryWord, typoInCompound, synonyms, index) {
  if (typoInCompound) return typoInCompound[0];
  if (term.stems.some((termStem) => index.hasStem(termStem))) return term.parts;
  if (term.parts.length) {
    const split = librarySplit(word, index, synonyms);
    return split.length && split.length < term.parts.length ? split : term.parts;
  }
  if (matches(queryWord, index)) return [];
  const together = runTogether(word, index);
  if (together.length) return together;
  const split = librarySplit(word, index, synonyms);
  return split.length ? split : knownPieces(word, index);
}

function wordOptions(word, synonyms, index) {
  const term = index.analyser.term(word);
  const queryWord = new QueryWord(word);
  for (const termStem of term.stems) queryWord.add(termStem, 1.0);
  // The word in another word class: "undernärd" finds undernäring (search._word_options).
  for (const termStem of term.stems) for (const related of index.relatedStems(termStem)) queryWord.add(related, DERIVED_WEIGHT);
  // The definite form finds the entry of its base form too (search._word_options).
  const meaning = term.stems.map((termStem) => synonyms.meaning(word, termStem)).find((found) => found.length) || [];
  for (const meant of meaning) addMeaning(queryWord, meant, SYNONYM_WEIGHT, synonyms, index);
  if (!matches(queryWord, index) && word.length >= 3) {
    for (const found of index.stemsStartingWith(term.stem)) queryWord.add(found, PREFIX_WEIGHT, 0, false);
  }
  let typoInCompound = null;
  if (!matches(queryWord, index)) {
    // A word the library does not know: a typo of a word it knows, or a compound of known parts.
    let corrections = index.vocabulary().corrections(word);
    if (!term.parts.length && (!corrections.length || damerauLevenshtein(word, corrections[0], 1) > 1)) {
      typoInCompound = compoundTypo(word, index);
    }
    if (typoInCompound) {
      corrections = [];
      queryWord.correction = typoInCompound[1];
    }
    for (const correction of corrections) {
      const corrected = index.analyser.term(correction);
      queryWord.add(corrected.stem, TYPO_WEIGHT);
      for (const meant of synonyms.meaning(correction, corrected.stem)) {
        addMeaning(queryWord, meant, TYPO_WEIGHT * SYNONYM_WEIGHT, synonyms, index);
      }
    }
    if (corrections.length) queryWord.correction = corrections[0];
  }
  const base = matches(queryWord, index) ? null : clippedBase(word);
  if (base) {
    // The compounds that begin with the clipped word's first part (search._word_options).
    const baseStem = stem(base);
    for (const found of index.stemsStartingWith(baseStem)) {
      if (found.length > baseStem.length) queryWord.add(found, PREFIX_WEIGHT, 0, false);
    }
  }
  const parts = compoundParts(word, term, queryWord, typoInCompound, synonyms, index);
  parts.forEach((part, position) => {
    const group = position + 1;
    queryWord.add(part, COMPOUND_WEIGHT, group);
    for (const meant of synonyms.meaning(part, part)) addMeaning(queryWord, meant, COMPOUND_WEIGHT * SYNONYM_WEIGHT, synonyms, index, group);
  });
  return queryWord;
}

// The synonym phrases the query says in its content words, small words left out and verbs uninflected
// (search._stemmed_phrases).
function stemmedPhrases(words, synonyms, phrases, covered) {
  const content = words.filter((word) => !STOP_WORDS.has(word)).map((word) => [word, stem(word)]);
  const found = new Set(phrases.map(([phrase]) => phrase));
  for (const [key, stems, terms] of synonyms.stemmedPhrases()) {
    if (found.has(key)) continue;
    for (let start = 0; start <= content.length - stems.length; start += 1) {
      if (stems.every((termStem, offset) => content[start + offset][1] === termStem)) {
        // With the phrase's small words the query holds too (search._stemmed_phrases).
        const said = new Set(content.slice(start, start + stems.length).map(([word]) => word));
        for (const word of key.split(" ")) if (words.includes(word)) said.add(word);
        phrases.push([key, terms, said]);
        found.add(key);
        for (const word of said) covered.add(word);
        break;
      }
    }
  }
}

// `typed`: the query's words as typed, repeats kept (typedWords); `words` without repeats (queryWords).
export function analyseQuery(words, synonyms, index, typed = words) {
  const phrases = [];
  const covered = new Set();
  for (const [phrase, terms] of synonyms.phrases) {
    for (let start = 0; start <= typed.length - phrase.length; start += 1) {
      if (phrase.every((word, offset) => typed[start + offset] === word)) {
        phrases.push([phrase.join(" "), terms, new Set(phrase)]);
        for (const word of phrase) covered.add(word);
      }
    }
  }
  stemmedPhrases(typed, synonyms, phrases, covered);
  // A phrase inside a longer one found in the same words says less (search.analyse_query).
  const saysLess = (said, other) => other.size > said.size && [...said].every((word) => other.has(word));
  const kept = phrases.filter(([, , said]) => !phrases.some(([, , other]) => saysLess(said, other)));
  let query = [];
  for (const word of words) {
    if (STOP_WORDS.has(word) || covered.has(word)) continue;
    query.push(wordOptions(word, synonyms, index));
  }
  for (const [phrase, terms] of kept) {
    const queryWord = new QueryWord(phrase);
    for (const term of terms) addMeaning(queryWord, term, SYNONYM_WEIGHT, synonyms, index);
    query.push(queryWord);
  }
  query = query.slice(0, MAX_QUERY_WORDS);
  // A verb asking for a kind of answer only tips the balance beside the words of the topic (search.analyse_query).
  if (query.some((queryWord) => !INTENT_WORDS.has(queryWord.word))) {
    for (const queryWord of query) {
      if (!INTENT_WORDS.has(queryWord.word)) continue;
      const own = new Set(index.analyser.term(queryWord.word).stems);
      queryWord.options = queryWord.options.filter((option) => own.has(option.stem))
        .map((option) => ({ ...option, weight: option.weight * INTENT_WEIGHT }));
    }
  }
  return query;
}

// Each routine's score for one query word: its best option, or the parts of the word's compound together;
// and the routines where one of its options stands as a whole word.
function wordScores(index, queryWord) {
  const groups = new Map();
  const whole = new Set();
  for (const option of queryWord.options) {
    const postings = (option.kind === "w" ? index.whole : index.part).get(option.stem);
    if (!postings) continue;
    if (option.kind === "w") for (const routineId of postings.keys()) whole.add(routineId);
    if (!groups.has(option.group)) groups.set(option.group, new Map());
    const best = groups.get(option.group);
    const factor = option.weight * index.idf(postings);
    for (const [routineId, termWeight] of postings) {
      const score = factor * termWeight;
      if (score > (best.get(routineId) || 0.0)) best.set(routineId, score);
    }
  }
  const scores = groups.get(0) || new Map();
  groups.delete(0);
  if (groups.size) {
    const parts = new Set(queryWord.options.map((option) => option.group).filter((group) => group !== 0)).size;
    const combined = new Map();
    for (const best of groups.values()) {
      for (const [routineId, score] of best) combined.set(routineId, (combined.get(routineId) || 0.0) + score / parts);
    }
    for (const [routineId, score] of combined) if (score > (scores.get(routineId) || 0.0)) scores.set(routineId, score);
  }
  return [scores, whole];
}

// 2: the title is the query; 1: the title holds the query's words in a row (two or more); else 0.
// `stems`: per query word, the set of stems that say it (search._title_level).
function titleLevel(title, stems) {
  const size = stems.length;
  if (!size || title.length < size) return 0;
  const saysAt = (start) => stems.every((said, offset) => said.has(title[start + offset]));
  if (title.length === size && saysAt(0)) return 2;
  if (size >= 2) {
    for (let start = 0; start <= title.length - size; start += 1) if (saysAt(start)) return 1;
  }
  return 0;
}

// [routine id, score] of the best routines: exact title, title phrase, a query word standing as a word of its
// own, then BM25 times the share of the query's words covered.
export function rank(index, query, limit) {
  const perWord = query.map((queryWord) => wordScores(index, queryWord));
  let scores = new Map();
  let whole = new Set();
  const covered = new Map();
  if (perWord.length === 1) {
    [scores, whole] = perWord[0];
  } else {
    for (const [wordScore, wholeIds] of perWord) {
      for (const routineId of wholeIds) whole.add(routineId);
      for (const [routineId, score] of wordScore) {
        scores.set(routineId, (scores.get(routineId) || 0.0) + score);
        covered.set(routineId, (covered.get(routineId) || 0) + 1);
      }
    }
  }
  // Each word as typed, or as its synonyms or corrections say it (search.rank).
  const stems = query.filter((queryWord) => !queryWord.word.includes(" ")).map((queryWord) => new Set([stem(queryWord.word),
    ...queryWord.options.filter((option) => option.kind === "w" && !option.group).map((option) => option.stem)]));
  const ranked = [...scores].map(([routineId, score]) => [titleLevel(index.documents.get(routineId).titleStems, stems),
    whole.has(routineId) ? 1 : 0, score * (covered.get(routineId) || 1) / perWord.length, -routineId]);
  ranked.sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2] || b[3] - a[3]);
  return ranked.slice(0, limit).map((key) => [-key[3], Math.round(key[2] * 10000) / 10000]);
}

function withNearest(queryWord, index) {
  if (matches(queryWord, index) || queryWord.word.includes(" ")) return queryWord;
  const nearest = index.vocabulary().nearest(queryWord.word);
  if (nearest === null) return queryWord;
  const widened = new QueryWord(queryWord.word, [...queryWord.options], nearest);
  widened.add(index.analyser.term(nearest).stem, NEAREST_WEIGHT);
  return widened;
}

function correctedText(words, query) {
  const corrections = new Map(query.filter((queryWord) => queryWord.correction).map((queryWord) => [queryWord.word, queryWord.correction]));
  return corrections.size ? words.map((word) => corrections.get(word) ?? word).join(" ") : null;
}

/**
 * The routines on the phone that match any word of `text`, best first, as the server's search.search() ranks
 * them: {ids, corrected, nearest, alternatives}. With `nearest`, never empty while the phone holds routines.
 */
export function searchIndex(index, synonymRows, text, { limit = 20, nearest = false } = {}) {
  const empty = { ids: [], corrected: null, nearest: false, alternatives: [] };
  const words = queryWords(text);
  if (!words.length || limit < 1) return empty;
  const synonyms = synonymRows instanceof Synonyms ? synonymRows : new Synonyms(synonymRows);
  let query = analyseQuery(words, synonyms, index, typedWords(text));
  if (!query.length) return empty;
  let ranked = rank(index, query, limit);
  let widened = false;
  if (!ranked.length && nearest) {
    query = query.map((queryWord) => withNearest(queryWord, index));
    ranked = rank(index, query, limit);
    widened = ranked.length > 0;
  }
  return {
    ids: ranked.map(([routineId]) => routineId),
    corrected: correctedText(words, query),
    nearest: widened,
    alternatives: query.flatMap((queryWord) => queryWord.alternatives),
  };
}
