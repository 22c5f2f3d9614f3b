// What the phone keeps from a routine page: its images and its text for the offline search. Pages
// read it with DOMParser; the service worker has no DOM, so there a small scanner reads the same
// from our own markup (the server's templates and nh3-cleaned bodies: balanced tags, escaped text).
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? entity;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

function attribute(attributes, name) {
  const match = new RegExp(`(?:^|\\s)${name}(?:\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+)))?`, "i").exec(attributes);
  if (!match) return null;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? "");
}

// The element whose start tag `matches`, as {start, end, inner} offsets into html, or null.
function findElement(html, matches, from = 0, to = html.length) {
  TAG.lastIndex = from;
  for (let tag = TAG.exec(html); tag && tag.index < to; tag = TAG.exec(html)) {
    if (!tag[2] || tag[1] || !matches(tag[2].toLowerCase(), tag[3])) continue;
    const name = tag[2].toLowerCase();
    const innerStart = TAG.lastIndex;
    let depth = 1;
    for (let next = TAG.exec(html); next; next = TAG.exec(html)) {
      if (next[2]?.toLowerCase() !== name || next[3].trim().endsWith("/")) continue;
      depth += next[1] ? -1 : 1;
      if (!depth) return { start: tag.index, innerStart, innerEnd: next.index };
    }
    return null;
  }
  return null;
}

function scanRoutinePage(html) {
  const article = findElement(html, (name, attributes) => name === "article" && attribute(attributes, "data-routine") !== null);
  if (!article) return null;
  const images = [];
  TAG.lastIndex = article.innerStart;
  for (let tag = TAG.exec(html); tag && tag.index < article.innerEnd; tag = TAG.exec(html)) {
    const src = tag[2]?.toLowerCase() === "img" && !tag[1] ? attribute(tag[3], "src") : null;
    if (src) images.push(src);
  }
  const body = findElement(html, (name, attributes) => (attribute(attributes, "class") || "").split(/\s+/).includes("routine-body"),
    article.innerStart, article.innerEnd);
  const text = body ? decodeEntities(html.slice(body.innerStart, body.innerEnd).replace(TAG, "")) : "";
  return { images, text };
}

function parseRoutinePage(html) {
  const article = new DOMParser().parseFromString(html, "text/html").querySelector("article[data-routine]");
  if (!article) return null;
  const images = [...article.querySelectorAll("img[src]")].map((img) => img.getAttribute("src"));
  return { images, text: article.querySelector(".routine-body")?.textContent || "" };
}

/** A routine page's image sources and body text, or null for a page that is not a routine. */
export function readRoutinePage(html) {
  return typeof DOMParser === "undefined" ? scanRoutinePage(html) : parseRoutinePage(html);
}
