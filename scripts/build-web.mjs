// scripts/build-web.mjs SRC OUT — builds the browser client that the binary embeds: the
// sources in SRC (web/) become, in OUT (build/web/), what scripts/embed-web.sh embeds and
// src/http/web.c serves. The Makefile runs it; esbuild (package.json) does the work.
//
//   /js/app-HASH.js        every module of web/js in one minified bundle (main.js and every
//                          view), named by its content: served `immutable`
//   /app-HASH.css          app.css minified, named by its content: `immutable`
//   /js/views/NAME.js      one tiny module per view under its own name, which the router
//                          imports (`./views/${name}.js`): it re-exports that view from the
//                          bundle, so it costs one small revalidated request, and the router,
//                          its "page not found" (a HEAD of the view) and new views need nothing
//   /index.html            the page, naming the hashed files, with one inline script in its
//                          head: the home feed's early request (web/boot/early-home.js) and
//                          the last visit's copy of the feed (web/boot/home-snapshot.js);
//                          `no-cache`
//   other files of SRC     (favicon.svg, thumbnail.png, any folder) as they are
//   ../web-csp.txt         the script-src sources of the Content-Security-Policy: 'self' and
//                          the SHA-256 of the inlined script, which is the only inline script
//                          the policy allows (embed-web.sh puts it into the binary)
//
// Why one bundle and not esbuild's code splitting: the server speaks HTTP/1.1 to browsers,
// which open six connections to it, and splitting the 46 modules gives the home screen some
// fifteen chunks — three waves of round trips on a phone's network, where a round trip costs
// more than the whole bundle's bytes (issue 13: 22 files in 12 round trips, first post at
// 7.4 s on "Fast 3G"). The whole client is ~40 KB compressed; a view not yet opened costs
// bytes, not round trips, and the second visit takes it from the cache.
//
// Why the early request: the home page's first request would otherwise start only once the
// bundle has arrived and run. The inline script starts it while the bundle downloads, and
// js/early.js hands its answer to the first api() call that asks for exactly it.

import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import * as esbuild from 'esbuild';

const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error('usage: node scripts/build-web.mjs SRC OUT');
  process.exit(2);
}
const fail = (msg) => {
  console.error(`build-web: ${msg}`);
  process.exit(1);
};

rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'js', 'views'), { recursive: true });

// Browsers the client targets run modern JavaScript as written: esbuild only minifies.
const common = { minify: true, legalComments: 'none', logLevel: 'warning', charset: 'utf8' };

// -- the views and what each exports (the stubs re-export exactly that)
const viewDir = path.join(src, 'js', 'views');
const views = readdirSync(viewDir).filter((f) => f.endsWith('.js')).sort().map((f) => f.slice(0, -3));
const scan = await esbuild.build({
  entryPoints: views.map((v) => path.join(viewDir, `${v}.js`)),
  bundle: false, write: false, metafile: true, outdir: '/x', format: 'esm', logLevel: 'warning',
});
const exportsOf = {};
for (const o of Object.values(scan.metafile.outputs)) {
  const v = path.basename(o.entryPoint, '.js');
  exportsOf[v] = o.exports;
}

// -- the bundle: every view's exports under "vN__name", and main.js last (it starts the page
//    once every module above it has run)
const entry = views.map((v, i) => {
  const names = exportsOf[v].map((e) => `${e} as v${i}__${e}`).join(', ');
  return `export { ${names} } from './views/${v}.js';`;
}).join('\n') + "\nimport './main.js';\n";
const app = await esbuild.build({
  ...common,
  stdin: { contents: entry, resolveDir: path.join(src, 'js'), sourcefile: 'app.js', loader: 'js' },
  bundle: true, format: 'esm', write: false, metafile: true,
  outdir: path.join(out, 'js'), entryNames: 'app-[hash]',
});
const bundle = app.outputFiles.find((f) => f.path.endsWith('.js'));
const appName = path.basename(bundle.path);
writeFileSync(bundle.path, bundle.contents);

for (const [i, v] of views.entries()) {
  const names = exportsOf[v].map((e) => `v${i}__${e} as ${e}`).join(',');
  writeFileSync(path.join(out, 'js', 'views', `${v}.js`), `export{${names}}from"../${appName}";\n`);
}

// -- the stylesheet
const css = await esbuild.build({
  ...common,
  entryPoints: [path.join(src, 'app.css')], bundle: true, write: true,
  outdir: out, entryNames: '[name]-[hash]',
  external: ['/*'], // url(/icons/x.svg): a file served as it is (below), left as written
});
if (css.errors.length) fail('app.css did not build');
const cssName = readdirSync(out).find((f) => /^app-[A-Z0-9]+\.css$/.test(f));

// -- the inline script (the early request, then the last visit's copy: each file an IIFE
//    that fails silently), and the policy's hash of it
const inline = async (name) => (await esbuild.transform(readFileSync(path.join(src, 'boot', name), 'utf8'),
  { ...common, loader: 'js', format: 'iife' })).code.trim();
const early = `${await inline('early-home.js')}\n${await inline('home-snapshot.js')}`;
const earlyHash = createHash('sha256').update(early).digest('base64');

// -- the page
let html = readFileSync(path.join(src, 'index.html'), 'utf8');
const swap = (from, to) => {
  if (!html.includes(from)) fail(`index.html no longer has ${from}`);
  html = html.replace(from, to);
};
// the early request before the stylesheet: a parser's inline script waits for the
// stylesheets above it, and this one must start at once
swap('<link rel="stylesheet" href="/app.css">',
  `<script>${early}</script>\n<link rel="stylesheet" href="/${cssName}">`);
swap('<script type="module" src="/js/main.js"></script>',
  `<script type="module" src="/js/${appName}"></script>\n` +
  '<link rel="modulepreload" href="/js/views/home.js">');
writeFileSync(path.join(out, 'index.html'), html);

// -- everything else as it is, folders too (icons, pictures: served under their own names,
//    revalidated), but not the sources that were built above
const built = new Set(['index.html', 'app.css', 'js', 'boot']);
for (const f of readdirSync(src)) {
  if (built.has(f)) continue;
  cpSync(path.join(src, f), path.join(out, f), { recursive: true });
}

writeFileSync(path.join(path.dirname(path.resolve(out)), 'web-csp.txt'), `'self' 'sha256-${earlyHash}'\n`);
console.error(`build-web: /js/${appName} ${bundle.contents.length} B, /${cssName}, ${views.length} views`);
