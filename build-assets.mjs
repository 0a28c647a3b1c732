// Bundles tic_academy/static/src into tic_academy/static/dist with esbuild.
// Run by `make assets` (npm run build); no CDN is used at run time.
// Every file in static/src/pages/ becomes its own bundle (dist/<name>.js),
// loaded only by the pages that need it.
import * as esbuild from "esbuild";
import { existsSync, readdirSync } from "node:fs";

const pagesDir = "tic_academy/static/src/pages";
const pages = Object.fromEntries(
  (existsSync(pagesDir) ? readdirSync(pagesDir) : [])
    .filter((name) => name.endsWith(".js"))
    .map((name) => [name.replace(/\.js$/, ""), `${pagesDir}/${name}`]),
);

await esbuild.build({
  entryPoints: {
    app: "tic_academy/static/src/app.js",
    style: "tic_academy/static/src/style.css",
    ...pages,
  },
  bundle: true,
  minify: true,
  sourcemap: true,
  outdir: "tic_academy/static/dist",
  target: ["es2020"],
  loader: { ".woff": "file", ".woff2": "file", ".svg": "file" },
  logLevel: "warning",
});
console.log("assets built in tic_academy/static/dist");
