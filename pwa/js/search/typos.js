// Typo corrections from the words of the routines on the phone: a port of app/routines/typos.py.
import { MAX_CORRECTIONS, TYPO_MAX_CANDIDATES, TYPO_MIN_PART } from "../generated/search-constants.js";
import { isAlpha } from "./analysis.js";

export function damerauLevenshtein(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i, ...new Array(b.length).fill(0)];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2] + 1);
      current[j] = value;
    }
    if (Math.min(...current) > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  const distance = previous[previous.length - 1];
  return distance <= limit ? distance : limit + 1;
}

export const allowedTypos = (word) => (word.length < 4 ? 0 : word.length <= 6 ? 1 : 2);

function trigrams(word) {
  const padded = `^${word}$`;
  const found = new Set();
  for (let i = 0; i < padded.length - 2; i += 1) found.add(padded.slice(i, i + 3));
  return found;
}

export class Vocabulary {
  // `frequency`: Map word → how many routines use it.
  constructor(frequency) {
    this.frequency = frequency;
    this.partFrequency = Vocabulary.compoundParts(frequency);
    this.letters = [...new Set([...frequency.keys()].join(""))].sort();
    this.wordsByTrigram = new Map();
    for (const word of [...frequency.keys(), ...this.partFrequency.keys()]) {
      for (const trigram of trigrams(word)) {
        if (!this.wordsByTrigram.has(trigram)) this.wordsByTrigram.set(trigram, []);
        this.wordsByTrigram.get(trigram).push(word);
      }
    }
  }

  static compoundParts(frequency) {
    const parts = new Map();
    const add = (part, count) => parts.set(part, (parts.get(part) || 0) + count);
    for (const [word, count] of frequency) {
      for (let cut = TYPO_MIN_PART; cut <= word.length - TYPO_MIN_PART; cut += 1) {
        const head = word.slice(0, cut);
        const tail = word.slice(cut);
        if (frequency.has(head) || (head.endsWith("s") && frequency.has(head.slice(0, -1)))) add(tail, count);
        if (frequency.has(tail)) add(head, count);
      }
    }
    for (const part of [...parts.keys()]) if (frequency.has(part)) parts.delete(part);
    return parts;
  }

  used(word) {
    return this.frequency.get(word) || this.partFrequency.get(word) || 0;
  }

  // (edits, a part rather than a word, less used, alphabet): the order corrections are offered in.
  compare(found) {
    return (a, b) => found.get(a) - found.get(b) || (!this.frequency.has(a)) - (!this.frequency.has(b))
      || this.used(b) - this.used(a) || (a < b ? -1 : a > b ? 1 : 0);
  }

  corrections(word) {
    const limit = allowedTypos(word);
    if (limit === 0 || !isAlpha(word)) return [];
    let found = new Map([...this.oneEditAway(word)].filter((c) => this.isKnown(c)).map((c) => [c, 1]));
    if (!found.size && limit === 2) {
      found = new Map(this.nearByTrigrams(word).filter((c) => damerauLevenshtein(word, c, 2) === 2).map((c) => [c, 2]));
    }
    return [...found.keys()].sort(this.compare(found)).slice(0, MAX_CORRECTIONS);
  }

  nearest(word) {
    if (word.length < 4 || !isAlpha(word)) return null;
    const limit = Math.max(2, Math.floor(word.length / 3));
    const found = new Map();
    for (const candidate of this.nearByTrigrams(word)) {
      const edits = damerauLevenshtein(word, candidate, limit);
      if (edits <= limit) found.set(candidate, edits);
    }
    return found.size ? [...found.keys()].sort(this.compare(found))[0] : null;
  }

  isKnown(word) {
    return this.frequency.has(word) || this.partFrequency.has(word);
  }

  oneEditAway(word) {
    const found = new Set();
    for (let i = 0; i <= word.length; i += 1) {
      const left = word.slice(0, i);
      const right = word.slice(i);
      if (right) found.add(left + right.slice(1));
      if (right.length > 1) found.add(left + right[1] + right[0] + right.slice(2));
      for (const letter of this.letters) {
        if (right) found.add(left + letter + right.slice(1));
        found.add(left + letter + right);
      }
    }
    found.delete(word);
    return found;
  }

  nearByTrigrams(word) {
    const wanted = trigrams(word);
    // Two edits change at most eight trigrams; a word sharing fewer cannot be two edits away.
    const needed = Math.max(1, wanted.size - 8);
    const spread = Math.max(2, Math.floor(word.length / 3));
    const shared = new Map();
    for (const trigram of wanted) {
      for (const candidate of this.wordsByTrigram.get(trigram) || []) {
        if (Math.abs(candidate.length - word.length) <= spread) shared.set(candidate, (shared.get(candidate) || 0) + 1);
      }
    }
    return [...shared].sort((a, b) => b[1] - a[1]).slice(0, TYPO_MAX_CANDIDATES)
      .filter(([, count]) => count >= needed).map(([candidate]) => candidate);
  }
}
