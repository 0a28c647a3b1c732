// Bundles tic_academy/static/src into tic_academy/static/dist with esbuild.
// Run by `make assets` (npm run build); no CDN is used at run time.
import * as esbuild from "esbuild";

const options = {
  entryPoints: {
    app: "tic_academy/static/src/app.js",
    style: "tic_academy/static/src/style.css",
  },
  bundle: true,
  minify: true,
  sourcemap: true,
  outdir: "tic_academy/static/dist",
  target: ["es2020"],
  loader: { ".woff": "file", ".woff2": "file", ".svg": "file" },
  logLevel: "warning",
};

await esbuild.build(options);
console.log("assets built in tic_academy/static/dist");
