// Bundles the front-end sources into static/dist (build output, not committed).
import { build } from "esbuild";

const entryPoints = { app: "pwa/js/app.js" };

await build({
  entryPoints,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["chrome100", "safari15", "firefox100"],
  outdir: "static/dist",
  logLevel: "info",
});
