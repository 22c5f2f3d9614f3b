// The synonym list from the routines feed, read as app/routines/synonyms.py reads it.
import { MIN_QUERY_LENGTH, MIN_SYNONYM_TERM_LENGTH, MIN_VERB_STEM, VERB_FORMS } from "../generated/search-constants.js";
import { contentWords, fold, stem, tokens } from "./analysis.js";

export class Synonyms {
  // `rows`: [{word, means}] in the feed's order (the order quality staff saved them).
  constructor(rows) {
    this.terms = new Map();
    for (const { word, means } of rows) {
      const meant = means.split(",").map((term) => fold(term).trim().split(/\s+/).filter(Boolean).join(" "));
      // A query drops one-letter words, so a key must too (synonyms.Synonyms.from_rows).
      const key = tokens(word).filter((token) => token.length >= MIN_QUERY_LENGTH).join(" ");
      if (!key) continue;
      if (!this.terms.has(key)) this.terms.set(key, []);
      this.terms.get(key).push(...meant.filter((term) => term.length >= MIN_SYNONYM_TERM_LENGTH));
    }
    this.phrases = [...this.terms].filter(([key]) => key.includes(" ")).map(([key, meant]) => [key.split(" "), meant]);
    this.byStem = null;
    this.stemmed = null;
  }

  // The terms meant by a folded query word: its own entry, else that of a word with the same stem.
  meaning(word, wordStem) {
    if (!this.byStem) {
      this.byStem = new Map();
      for (const [key, meant] of this.terms) {
        if (key.includes(" ")) continue;
        const keyStem = stem(key);
        if (!this.byStem.has(keyStem)) this.byStem.set(keyStem, []);
        this.byStem.get(keyStem).push(...meant);
      }
    }
    const own = this.terms.get(word);
    if (own?.length) return own;
    // A verb form goes to its verb before the stem is asked (ringer: ringa, not ringar).
    for (const [ending, verbEnding] of VERB_FORMS) {
      if (word.endsWith(ending) && word.length - ending.length >= MIN_VERB_STEM) {
        const verb = this.terms.get(word.slice(0, -ending.length) + verbEnding);
        if (verb?.length) return verb;
      }
    }
    return this.byStem.get(wordStem) || [];
  }

  // [key, stems of its content words, terms] of the phrases of two or more content words
  // (synonyms.Synonyms.stemmed_phrases).
  stemmedPhrases() {
    if (!this.stemmed) {
      this.stemmed = [];
      for (const [key, meant] of this.terms) {
        const stems = contentWords(key).map(stem);
        if (key.includes(" ") && stems.length >= 2) this.stemmed.push([key, stems, meant]);
      }
    }
    return this.stemmed;
  }
}
