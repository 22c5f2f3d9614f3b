// Bundles the front-end sources into static/dist (build output, not committed): the page bundle
// and the service worker. The server puts the precache list in front of sw.js when serving it.
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

await build({ ...common, entryPoints: { app: "pwa/js/app.js" } });
await build({ ...common, entryPoints: { sw: "pwa/js/sw/index.js" }, sourcemap: false });
