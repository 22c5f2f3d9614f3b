// Swedish personal identity numbers (ÅÅÅÅMMDD-XXXX, ÅÅMMDD-XXXX, with +, a space or nothing between)
// must not end up in a report's free text. The Luhn check keeps phone numbers and the like out.
// The server's pattern (app/reports/rules.py, generated into this build); the server checks again.
import { PERSONAL_NUMBER_LOOKALIKES, PERSONAL_NUMBER_PATTERN, PERSONAL_NUMBER_REPLACEMENT } from "../generated/constants.js";

const CANDIDATE = new RegExp(PERSONAL_NUMBER_PATTERN, "g");
// Dashes, spaces and digits that look like the plain ones are read as those (one character for one).
const LOOKALIKE = new RegExp(`[${Object.keys(PERSONAL_NUMBER_LOOKALIKES).join("")}]`, "g");
const plain = (text) => text.replace(LOOKALIKE, (character) => PERSONAL_NUMBER_LOOKALIKES[character]);

function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let value = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (value > 9) value -= 9;
    sum += value;
  }
  return sum % 10 === 0;
}

function plausibleDate(yymmdd) {
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6)) % 60; // coordination numbers add 60 to the day
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// The [start, end) spans of what looks like a personal identity number in the text as written.
export function personalNumberSpans(text) {
  return [...plain(text || "").matchAll(CANDIDATE)]
    .filter(({ groups }) => {
      const yymmdd = groups.yy + groups.mm + groups.dd;
      return plausibleDate(yymmdd) && luhnValid(yymmdd + groups.serial);
    })
    .map((match) => [match.index, match.index + match[0].length]);
}

export function personalNumbersIn(text) {
  return personalNumberSpans(text).map(([start, end]) => text.slice(start, end));
}

export function withoutPersonalNumbers(text) {
  let cleaned = text;
  for (const [start, end] of personalNumberSpans(text).reverse()) {
    cleaned = cleaned.slice(0, start) + PERSONAL_NUMBER_REPLACEMENT + cleaned.slice(end);
  }
  return cleaned;
}
