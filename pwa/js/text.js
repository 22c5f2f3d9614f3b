// Folding of Swedish text for offline search, in step with the server's search: lower case,
// no diacritics (people type "lakemedel" for "läkemedel"), one character in, one character out
// so that positions in the folded text are positions in the original.
export function foldCharacter(character) {
  const lower = character.toLowerCase();
  return lower.length === 1 ? lower.normalize("NFD").charAt(0) : character;
}

export function fold(text) {
  let folded = "";
  for (let i = 0; i < text.length; i += 1) folded += foldCharacter(text[i]);
  return folded;
}

export function words(text) {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 2);
}
