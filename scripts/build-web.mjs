// scripts/build-web.mjs SRC OUT — builds the browser client that the binary embeds: the
// sources in SRC (web/) become, in OUT (build/web/), what scripts/embed-web.sh embeds and
// src/http/web.c serves. The Makefile runs it; esbuild (package.json) does the work.
//
//   /js/app-HASH.js        the first screen's code: main.js, the home view and what they
//                          import, minified, named by its content: served `immutable`
//   /js/chunk-HASH.js      what app and views share (esbuild's splitting), each evaluated
//                          once; those app imports are `modulepreload`ed by the page
//   /js/views-HASH.js      every other view: asked for by the first screen that needs it,
//                          or preloaded by main.js once the first screen is up
//   /app-HASH.css          app.css minified, named by its content: `immutable`
//   /js/views/NAME.js      one tiny module per view under its own name, which the router
//                          imports (`./views/${name}.js`): it re-exports that view from the
//                          bundle, so it costs one small revalidated request, and the router,
//                          its "page not found" (a HEAD of the view) and new views need nothing;
//                          the first screen's views (home) are also handed to the router by
//                          the app bundle itself (router.js: bundleViews), so the first screen
//                          imports no entry
//   /index.html            the page, naming the hashed files, with one inline script in its
//                          head: the home feed's early requests (web/boot/early-home.js) and
//                          the last visit's copy of the feed (web/boot/home-snapshot.js);
//                          `no-cache`
//   other files of SRC     (favicon.svg, thumbnail.png, any folder) as they are
//   ../web-csp.txt         the script-src sources of the Content-Security-Policy: 'self' and
//                          the SHA-256 of the inlined script, which is the only inline script
//                          the policy allows (embed-web.sh puts it into the binary)
//
// Why two bundles and not a chunk per view: the server speaks HTTP/1.1 to browsers, which
// open six connections to it, and esbuild's splitting of every view gives the home screen
// some fifteen chunks — waves of round trips on a phone's network, where a round trip costs
// more than the whole bundle's bytes (issue 13: 22 files in 12 round trips, first post at
// 7.4 s on "Fast 3G"). Two entries (the first screen, the rest) give the home screen the app
// bundle and two shared chunks, all named in the page, so they travel in one wave with the
// stylesheet and the early requests (six requests: six connections). Why not one bundle for
// all: on an unthrottled load the time to the first post is the CPU's — compiling and
// running code — and the home screen needs under half of the client (~75 of ~170 KB).
//
// Why the early requests: the home page's first requests (the feed, the person's account)
// would otherwise start only once the bundle has arrived and run. The inline script starts
// them while the bundle downloads, and js/early.js hands each answer to the first api() call
// that asks for exactly it.

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

// -- two bundles: app (the views a first screen shows, and main.js last: it starts the page
//    once every module above it has run) and views (every other view), each view's exports
//    under "vN__name"; what both use goes to shared chunks, evaluated once
const FIRST_VIEWS = new Set(['home']);
// (the entries' folder is always the same: esbuild's content hashes include the paths)
const entryDir = path.resolve(out, '..', 'web-entries');
mkdirSync(entryDir, { recursive: true });
const jsDir = path.resolve(src, 'js');
const reexports = (list) => list.map((v) => {
  const names = exportsOf[v].map((e) => `${e} as v${views.indexOf(v)}__${e}`).join(', ');
  return `export { ${names} } from ${JSON.stringify(path.join(jsDir, 'views', `${v}.js`))};`;
}).join('\n');
// the first screen's views are handed to the router before main.js runs (router.js:
// bundleViews), so the first screen is drawn in the task that starts the page, not after an
// import() of its entry and the tasks that come between
const firstViews = views.filter((v) => FIRST_VIEWS.has(v));
writeFileSync(path.join(entryDir, 'first-views.js'),
  `${firstViews.map((v) => `import * as ${v.replace(/\W/g, '_')} from ${JSON.stringify(path.join(jsDir, 'views', `${v}.js`))};`).join('\n')}\n` +
  `import { bundleViews } from ${JSON.stringify(path.join(jsDir, 'router.js'))};\n` +
  `bundleViews({ ${firstViews.map((v) => `${JSON.stringify(v)}: ${v.replace(/\W/g, '_')}`).join(', ')} });\n`);
writeFileSync(path.join(entryDir, 'app.js'),
  `${reexports(firstViews)}\nimport "./first-views.js";\nimport ${JSON.stringify(path.join(jsDir, 'main.js'))};\n`);
writeFileSync(path.join(entryDir, 'views.js'), `${reexports(views.filter((v) => !FIRST_VIEWS.has(v)))}\n`);
const app = await esbuild.build({
  ...common,
  entryPoints: [path.join(entryDir, 'app.js'), path.join(entryDir, 'views.js')],
  bundle: true, format: 'esm', splitting: true, write: true, metafile: true,
  loader: { '.svg': 'text' }, // js/icons.js: the few icons used, inlined as text
  outdir: path.join(out, 'js'), entryNames: '[name]-[hash]', chunkNames: 'chunk-[hash]',
});
rmSync(entryDir, { recursive: true, force: true });
const outputOf = (name) => Object.entries(app.metafile.outputs)
  .find(([, o]) => o.entryPoint && path.basename(o.entryPoint) === `${name}.js`);
const [appPath, appOut] = outputOf('app');
const appName = path.basename(appPath);
const viewsName = path.basename(outputOf('views')[0]);
// what the first screen imports besides the app bundle: preloaded by the page, so that it
// travels with the bundle instead of a round trip after it
const appChunks = appOut.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path));

for (const [i, v] of views.entries()) {
  const names = exportsOf[v].map((e) => `v${i}__${e} as ${e}`).join(',');
  const from = FIRST_VIEWS.has(v) ? appName : viewsName;
  writeFileSync(path.join(out, 'js', 'views', `${v}.js`), `export{${names}}from"../${from}";\n`);
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

// -- the inline script (the early requests, then the last visit's copy: each file an IIFE
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
// the early requests before the stylesheet: a parser's inline script waits for the
// stylesheets above it, and this one must start at once
swap('<link rel="stylesheet" href="/app.css">',
  `<script>${early}</script>\n<link rel="stylesheet" href="/${cssName}">`);
swap('<script type="module" src="/js/main.js"></script>',
  `<script type="module" src="/js/${appName}"></script>\n` +
  `<meta name="partyline-views" content="/js/${viewsName}">\n` +
  appChunks.map((c) => `<link rel="modulepreload" href="/js/${c}">`).join('\n'));
writeFileSync(path.join(out, 'index.html'), html);

// -- everything else as it is, folders too (icons, pictures: served under their own names,
//    revalidated), but not the sources that were built above
const built = new Set(['index.html', 'app.css', 'js', 'boot']);
for (const f of readdirSync(src)) {
  if (built.has(f)) continue;
  cpSync(path.join(src, f), path.join(out, f), { recursive: true });
}

writeFileSync(path.join(path.dirname(path.resolve(out)), 'web-csp.txt'), `'self' 'sha256-${earlyHash}'\n`);
const size = (name) => readFileSync(path.join(out, 'js', name)).length;
console.error(`build-web: /js/${appName} ${size(appName)} B (+ ${appChunks.map((c) => `${c} ${size(c)} B`).join(', ') || 'no chunk'}), ` +
  `/js/${viewsName} ${size(viewsName)} B, /${cssName}, ${views.length} views`);
