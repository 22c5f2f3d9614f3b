// Bundles the front-end sources into static/dist (build output, not committed): the page bundle
// with its chunks, and the service worker. The server puts the precache list in front of sw.js when serving it.
import { build } from "esbuild";

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
