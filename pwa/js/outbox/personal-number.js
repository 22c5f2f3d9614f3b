// Swedish personal identity numbers (ÅÅÅÅMMDD-XXXX, ÅÅMMDD-XXXX, with +, a space or nothing between)
// must not end up in a report's free text. The Luhn check keeps phone numbers and the like out.
// The server's pattern (app/reports/rules.py, generated into this build); the server checks again.
import { PERSONAL_NUMBER_PATTERN, PERSONAL_NUMBER_REPLACEMENT } from "../generated/constants.js";

const CANDIDATE = new RegExp(PERSONAL_NUMBER_PATTERN, "g");

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

export function personalNumbersIn(text) {
  return [...(text || "").matchAll(CANDIDATE)]
    .filter(({ groups }) => {
      const yymmdd = groups.yy + groups.mm + groups.dd;
      return plausibleDate(yymmdd) && luhnValid(yymmdd + groups.serial);
    })
    .map((match) => match[0]);
}

export function withoutPersonalNumbers(text) {
  let cleaned = text;
  for (const number of personalNumbersIn(text)) cleaned = cleaned.replace(number, PERSONAL_NUMBER_REPLACEMENT);
  return cleaned;
}
