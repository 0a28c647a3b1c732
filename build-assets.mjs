// Bundles tic_academy/static/src into tic_academy/static/dist with esbuild.
// Run by `make assets` (npm run build); no CDN is used at run time.
// Every file in static/src/pages/ becomes its own bundle (dist/<name>.js),
// loaded only by the pages that need it (the code editor only on the workspace and project pages).
// Bootstrap's CSS is trimmed to the selectors the templates, Python and scripts use (PurgeCSS, below).
import * as esbuild from "esbuild";
import { existsSync, readdirSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const pagesDir = "tic_academy/static/src/pages";
const pages = Object.fromEntries(
  (existsSync(pagesDir) ? readdirSync(pagesDir) : [])
    .filter((name) => name.endsWith(".js"))
    .map((name) => [name.replace(/\.js$/, ""), `${pagesDir}/${name}`]),
);

// Where class names are written: templates, Python that builds HTML, and the page scripts.
const classSources = [
  "tic_academy/templates/**/*.html",
  "tic_academy/**/*.py",
  "tic_academy/static/src/**/*.js",
];

// Kept although no source names them in full:
const keepClasses = {
  // set by Bootstrap's own scripts (collapse, dropdown, alert)
  standard: ["show", "showing", "hiding", "collapsing", "fade", "active", "disabled",
    // elements that rendered notebook Markdown and comments may contain
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "hr",
    "pre", "code", "kbd", "samp", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "img",
    "a", "b", "strong", "em", "i", "del", "s", "sub", "sup", "mark", "small", "abbr", "details", "summary",
    "figure", "figcaption", "button", "input", "select", "textarea", "label", "fieldset", "legend"],
  // class names built from a variable: alert-{{ category }}, text-bg-{{ colour }}, `alert alert-${kind}`
  greedy: [/^alert-/, /^text-bg-/, /^bg-/, /^btn-/, /^badge/],
};

// esbuild plugin: Bootstrap's CSS, trimmed to what is used, in place of the full file.
const trimBootstrap = {
  name: "trim-bootstrap",
  setup(build) {
    build.onLoad({ filter: /bootstrap[\\/]dist[\\/]css[\\/]bootstrap\.css$/ }, async (args) => {
      const [result] = await new PurgeCSS().purge({
        content: classSources,
        css: [args.path],
        safelist: keepClasses,
        dynamicAttributes: ["data-bs-popper", "aria-expanded", "aria-current", "aria-disabled"],
      });
      return { contents: result.css, loader: "css" };
    });
  },
};

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
  plugins: [trimBootstrap],
  logLevel: "warning",
});
console.log("assets built in tic_academy/static/dist");
