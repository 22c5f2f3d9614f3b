// Bundles the front-end sources into static/dist (build output, not committed): the page bundle
// with its chunks, and the service worker. The server puts the precache list in front of sw.js when serving it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { build } from "esbuild";

// What the phone shares with the server comes from the Python constants: the app's Python writes
// pwa/js/generated/constants.js first. Which Python: FICKAN_PYTHON, else the active virtualenv's,
// the project's .venv, or python3.
function appPython() {
  if (process.env.FICKAN_PYTHON) return process.env.FICKAN_PYTHON;
  if (process.env.VIRTUAL_ENV) return `${process.env.VIRTUAL_ENV}/bin/python`;
  return existsSync(".venv/bin/python") ? ".venv/bin/python" : "python3";
}
const python = appPython();
try {
  execFileSync(python, ["-m", "pwa.constants", "pwa/js/generated/constants.js"], { stdio: "inherit" });
} catch (error) {
  console.error(`Could not write pwa/js/generated/constants.js with ${python} (set FICKAN_PYTHON to the app's Python).`);
  process.exit(1);
}

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["chrome100", "safari15", "firefox100"],
  outdir: "static/dist",
  logLevel: "info",
  // Workbox leaves out its development logging in production builds.
  define: { "process.env.NODE_ENV": '"production"' },
};

// The page bundle as ES modules: what only some pages need (offline search, the report form) comes
// in chunks loaded on demand, so opening a routine parses less.
await build({
  ...common,
  entryPoints: { app: "pwa/js/app.js" },
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
await build({ ...common, entryPoints: { sw: "pwa/js/sw/index.js" }, sourcemap: false });
