// bench/web.mjs BINARY — the web client's benchmark (`make bench` runs it after the server's):
//
// (a) The first screen's weight: a person signs in through the real sign-in page, then the
//     home screen is opened afresh in Debian's chromium while every request is recorded;
//     each JavaScript module and stylesheet it loaded is fetched again and compressed with
//     gzip -9, against the budget of 100 KB; and the bytes partyline actually sent for them
//     (it sends build-time gzip copies to browsers that accept gzip).
// (b) Rendering a feed of 40 posts: the real server's answer to GET /api/v1/timelines/home
//     ?limit=40 (posts with mentions, hashtags, links, content warnings and boosts) is drawn
//     with the client's own statusCard() — building the 40 cards, inserting them and the
//     browser's style and layout (forced by reading offsetHeight) between two performance
//     marks — BENCH_WEB_RUNS times; the baseline, measured in the same page in the same
//     runs, interleaved, is 40 plain <li> of the same text. Medians against the budget of 100 ms.
//     "To next frame" adds the wait for the next animation frame (paint), for scale.
//
// (c) Loading the home feed on a phone's network: a signed-in person opens `/#/home` in a
//     fresh browser context (nothing cached) with the network emulated through CDP
//     (Network.emulateNetworkConditions) as Chrome DevTools' presets: unthrottled, "Fast 3G"
//     (562.5 ms latency, 180,000 B/s down, 84,375 B/s up) and "Slow 3G" (2,000 ms, 50,000 B/s
//     both ways). Measured in the page from navigation start: the first post on screen, 40
//     posts on screen (the second page is asked for by scrolling to the end, as a reader
//     would), the requests started before the first post, the bytes of the load (transfer
//     sizes of the page and everything it fetched until the network was idle), and a second
//     visit (a new tab of the same browser profile, so the cache is warm) to the first post.
//     Median of BENCH_WEB_LOADS runs each. Targets: first post on Fast 3G < 2.5 s, unthrottled
//     < 400 ms, second visit < 150 ms. The baseline, in the same run, is the same measure of
//     BENCH_WEB_BASELINE (a partyline binary with an earlier client), when given, its loads
//     interleaved with this binary's and the floor's.
//     The floor, interleaved with those loads: the same measure of a trivial page — a few
//     lines of HTML whose one inline script draws one post-like element where the feed's
//     would be — in a fresh context set up the same way (same storage, same CDP session and
//     network conditions, same marks), and again in a second tab of it: what any page costs
//     this browser on this machine at that moment, however little it does. The binary has
//     no such page, so the page is served by request interception (Playwright's
//     context.route, at /bench-floor on the server's origin) with the headers the binary
//     sends with its own page (its CSP naming the trivial script's hash); interception
//     costs the floor a round trip to this process, which the client's loads do not pay,
//     so the floor errs high if anything; nor does the emulated network slow an intercepted
//     answer, so on Fast and Slow 3G the floor is the browser's alone (/health is the network's). First post and second visit are also given less
//     the floor and as a multiple of it.
//     The page tells when it drew a post through the console (`bench:first`, ...), not by
//     being polled: Playwright's waitForFunction evaluates its injected script in the page,
//     tens of milliseconds of the main thread in the middle of the load it measures
//     (BENCH_WEB_WAIT=poll measures the old way, for comparison).
//
// Replaces the "## Web client" section of BENCHMARKS.md (BENCH_OUT).
// Environment: BENCH_WEB_RUNS [50], BENCH_WEB_LOADS [3], BENCH_WEB_BASELINE [none],
//   BENCH_WEB_NETWORKS [all: e.g. "unthrottled"], BENCH_WEB_WAIT [console, or poll],
//   BENCH_OUT [BENCHMARKS.md], CHROMIUM [/usr/bin/chromium]

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import * as esbuild from 'esbuild';

import { registerUser, startServer, uniqueName } from '../tests/api/harness.mjs';
import { DESK, launch, newPage, PHONE, signIn } from '../tests/browser/browser.mjs';

/** storageState without the home feed's copy of the last visit: a first visit has none. */
const withoutSnapshot = (state) => ({
  ...state,
  origins: state.origins.map((o) => ({ ...o, localStorage: o.localStorage.filter((e) => e.name !== 'partyline.homeSnapshot') })),
});

const BIN = process.argv[2] || 'build/partyline';
const RUNS = Number(process.env.BENCH_WEB_RUNS || 50);
const LOADS = Number(process.env.BENCH_WEB_LOADS || 3);
const BASELINE = process.env.BENCH_WEB_BASELINE ? path.resolve(process.env.BENCH_WEB_BASELINE) : null;
const OUT = process.env.BENCH_OUT || 'BENCHMARKS.md';
const BUDGET_KB = 100;
const BUDGET_MS = 100;
const say = (m) => process.stderr.write(`bench-web: ${m}\n`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const ALL_NETWORKS = [
  { name: 'unthrottled', conditions: null },
  { name: 'Fast 3G', conditions: { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 } },
  { name: 'Slow 3G', conditions: { offline: false, latency: 2_000, downloadThroughput: 50_000, uploadThroughput: 50_000 } },
];
const NETWORKS = process.env.BENCH_WEB_NETWORKS
  ? ALL_NETWORKS.filter((n) => process.env.BENCH_WEB_NETWORKS.split(',').includes(n.name))
  : ALL_NETWORKS;
const POLL = process.env.BENCH_WEB_WAIT === 'poll';

/** A company on a server of `bin`: a reader following a writer with 40 posts of a working day. */
async function company(bin) {
  process.env.PARTYLINE_BIN = bin;
  const server = await startServer({ env: { PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_RATE_LIMIT_IP: '0' } });
  const reader = await registerUser(server.url, uniqueName('reader'));
  const writer = await registerUser(server.url, uniqueName('writer'));
  const other = await registerUser(server.url, uniqueName('other'));
  await reader.client.v1.accounts.$select(writer.account.id).follow();
  // 40 posts that look like a working day's: mentions, hashtags, links, warnings, boosts
  const boostable = [];
  for (let i = 0; i < 8; i++) {
    boostable.push(await other.client.v1.statuses.create({
      status: `Release notes ${i}: the export runs nightly now, see https://example.com/notes/${i} #release`,
    }));
  }
  for (let i = 0; i < 48; i++) {
    if (i % 5 === 4) {
      await writer.client.v1.statuses.$select(boostable[i % 8].id).reblog();
      continue;
    }
    await writer.client.v1.statuses.create({
      status: `Post ${i} for @${other.account.acct}: the quarterly numbers look good, and the ` +
        `onboarding flow is ${i % 2 ? 'finally' : 'almost'} done. Notes at https://example.com/q/${i} ` +
        `#planning #team${i % 3}\n\nA second paragraph, as longer posts have.`,
      spoilerText: i % 7 === 3 ? 'Long read' : undefined,
    });
  }
  return { server, reader };
}

// Recorded in every page before its own scripts: when the first post and the 40th are on
// screen (ms from navigation start), each also said in the console (bench:first, ...).
const MARKS = `(() => {
  const seen = { first: null, forty: null, fresh: null };
  window.__benchSeen = seen;
  const mark = (k) => { seen[k] = performance.now(); console.debug('bench:' + k); };
  const look = () => {
    const n = document.querySelectorAll('ol[aria-label="Home feed"] article').length;
    if (n && seen.first === null) mark('first');
    // a returning visitor's first posts may be the last visit's copy (homesnapshot.js)
    if (seen.fresh === null && document.querySelector('ol[aria-label="Home feed"]:not([data-snapshot]) article')) mark('fresh');
    if (n >= 40 && seen.forty === null) mark('forty');
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
})();`;

/** A new page of `context` under `conditions`, with the marks, and seen(k): the page said bench:k. */
async function markedPage(context, conditions) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions);
  await page.addInitScript(MARKS);
  const said = new Map();
  const waiting = new Map();
  page.on('console', (m) => {
    const k = m.text().startsWith('bench:') && m.text().slice(6);
    if (!k) return;
    said.set(k, true);
    waiting.get(k)?.();
  });
  const timeout = conditions ? 120_000 : 30_000;
  page.seen = (k) => (POLL
    ? page.waitForFunction((x) => window.__benchSeen?.[x] != null, k, { timeout, polling: 20 })
    : said.has(k) ? Promise.resolve() : Promise.race([
      new Promise((resolve) => waiting.set(k, resolve)),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no bench:${k} in ${timeout} ms`)), timeout).unref()),
    ]));
  page.timeout = timeout;
  return page;
}

/** One load of the home feed in `context` under `conditions`: the figures of (c). */
async function loadHome(context, url, conditions, { scroll = true } = {}) {
  const page = await markedPage(context, conditions);
  const { timeout } = page;
  await page.goto(`${url}/#/home`, { waitUntil: 'commit', timeout });
  await page.seen('first');
  // a returning visitor's first posts may be the copy of the last visit: the fresh ones too
  await page.seen('fresh');
  if (scroll) {
    // the second page comes when the end of the feed is in view
    await page.waitForFunction(() => {
      window.scrollTo(0, document.body.scrollHeight);
      return window.__benchSeen.forty !== null;
    }, null, { timeout, polling: 100 });
    await page.waitForLoadState('networkidle', { timeout }).catch(() => {});
  }
  const r = await page.evaluate(() => {
    const seen = window.__benchSeen;
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return {
      first: seen.first,
      fresh: seen.fresh,
      forty: seen.forty,
      before: 1 + res.filter((e) => e.startTime < seen.first).length,
      bytes: (nav?.transferSize ?? 0) + res.reduce((a, e) => a + (e.transferSize || 0), 0),
    };
  });
  await page.close();
  return r;
}

// The floor's page: what the feed's first post is to the client, one inline script drawing one
// element that the marks count as a post, at once.
const FLOOR_SCRIPT = "var l=document.createElement('ol');l.setAttribute('aria-label','Home feed');" +
  "l.innerHTML='<li><article>The floor</article></li>';document.getElementById('view').append(l);";
const FLOOR_PAGE = '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>floor</title>\n</head>\n' +
  `<body>\n<main id="view"></main>\n<script>${FLOOR_SCRIPT}</script>\n</body>\n</html>\n`;

/** The headers the binary sends with its page, the policy allowing the floor's script instead. */
async function floorHeaders(url) {
  const res = await fetch(`${url}/`);
  await res.arrayBuffer();
  const keep = ['content-type', 'cache-control', 'content-security-policy', 'referrer-policy', 'x-content-type-options'];
  const headers = Object.fromEntries([...res.headers].filter(([k]) => keep.includes(k)));
  const hash = createHash('sha256').update(FLOOR_SCRIPT).digest('base64');
  headers['content-security-policy'] = headers['content-security-policy'].replace(/'sha256-[^']+'/, `'sha256-${hash}'`);
  return headers;
}

/** The floor in `context` (routed): the trivial page's "first post", in a first tab and a second. */
async function loadFloor(context, url, conditions, headers) {
  await context.route(`${url}/bench-floor`, (route) => route.fulfill({ status: 200, headers, body: FLOOR_PAGE }));
  const once = async () => {
    const page = await markedPage(context, conditions);
    await page.goto(`${url}/bench-floor`, { waitUntil: 'commit', timeout: page.timeout });
    await page.seen('first');
    const ms = await page.evaluate(() => window.__benchSeen.first);
    await page.close();
    return ms;
  };
  return { floor: await once(), floorAgain: await once() };
}

/** The /health baseline in the same context and conditions: its load, from navigation start. */
async function loadHealth(context, url, conditions) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions);
  await page.goto(`${url}/health`, { timeout: conditions ? 120_000 : 30_000 });
  const ms = await page.evaluate(() => performance.getEntriesByType('navigation')[0].responseEnd);
  await page.close();
  return ms;
}

/** The server's time for the home request and for /health, as curl -w's time_total: medians of 20. */
async function serverTimes(url, token) {
  const time = async (path, headers) => {
    const xs = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const r = await fetch(`${url}${path}`, { headers });
      await r.arrayBuffer();
      xs.push(performance.now() - t0);
    }
    return median(xs);
  };
  return {
    home: await time('/api/v1/timelines/home?limit=20', { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip' }),
    health: await time('/health', {}),
  };
}

/**
 * (c) for the binaries `bins` (this one, then the baseline if given), interleaved load by load
 * with the floor, the order turning at every load, so that a machine shared with others weighs
 * on all alike: per network, medians of LOADS first and second visits of each. One array of
 * figures per binary.
 */
async function loadFigures(bins, browser) {
  const sites = [];
  try {
    for (const bin of bins) {
      const site = { bin, ...(await company(bin)) };
      sites.push(site);
      const signin = await newPage(browser, PHONE);
      await signIn(signin, site.server.url, site.reader);
      // a first visit has no copy of a last visit's feed (homesnapshot.js): the sign-in's is dropped
      site.storageState = withoutSnapshot(await signin.context().storageState());
      await signin.context().close();
    }
    // the floor on the first binary's origin, with its page's headers
    const [{ server: floorServer, storageState: floorState }] = sites;
    const headers = await floorHeaders(floorServer.url);
    const outs = sites.map(() => []);
    for (const net of NETWORKS) {
      const runs = sites.map(() => []);
      for (let i = 0; i < LOADS; i++) {
        const floorLoad = async () => {
          const context = await browser.newContext({ viewport: PHONE, storageState: floorState });
          const f = await loadFloor(context, floorServer.url, net.conditions, headers);
          await context.close();
          return f;
        };
        const clientLoad = async ({ server, storageState }) => {
          const context = await browser.newContext({ viewport: PHONE, storageState });
          const first = await loadHome(context, server.url, net.conditions);
          const second = await loadHome(context, server.url, net.conditions, { scroll: false });
          const health = await loadHealth(context, server.url, net.conditions);
          await context.close();
          return { ...first, again: second.first, againFresh: second.fresh, health };
        };
        const steps = [null, ...sites.keys()]; // null: the floor
        const got = new Map();
        for (let j = 0; j < steps.length; j++) {
          const step = steps[(j + i) % steps.length];
          got.set(step, step === null ? await floorLoad() : await clientLoad(sites[step]));
        }
        const f = got.get(null);
        for (const k of sites.keys()) {
          const client = got.get(k);
          // each load against the floor measured beside it
          runs[k].push({ ...client, ...f, overFloor: client.first - f.floor, timesFloor: client.first / f.floor,
            againOverFloor: client.again - f.floorAgain, againTimesFloor: client.again / f.floorAgain });
        }
      }
      for (const [k, site] of sites.entries()) {
        const m = (key) => median(runs[k].map((r) => r[key]));
        const spread = (key) => `${Math.round(Math.min(...runs[k].map((r) => r[key])))}–${Math.round(Math.max(...runs[k].map((r) => r[key])))}`;
        const fig = {
          network: net.name, first: m('first'), forty: m('forty'), before: m('before'), bytes: m('bytes'),
          again: m('again'), againFresh: m('againFresh'), health: m('health'),
          floor: m('floor'), floorAgain: m('floorAgain'), overFloor: m('overFloor'), timesFloor: m('timesFloor'),
          againOverFloor: m('againOverFloor'), againTimesFloor: m('againTimesFloor'),
          firstSpread: spread('first'), againSpread: spread('again'), floorSpread: spread('floor'), floorAgainSpread: spread('floorAgain'),
        };
        say(`${path.basename(site.bin)} ${net.name}: first post ${fig.first.toFixed(0)} ms (${fig.firstSpread}), 40 posts ${fig.forty.toFixed(0)} ms, ` +
          `${fig.before} requests before, ${fig.bytes} B, second visit ${fig.again.toFixed(0)} ms (${fig.againSpread}; fresh posts ` +
          `${fig.againFresh.toFixed(0)} ms), /health ${fig.health.toFixed(0)} ms, floor ${fig.floor.toFixed(0)} ms (${fig.floorSpread}), ` +
          `second tab ${fig.floorAgain.toFixed(0)} ms (${fig.floorAgainSpread}); first post floor + ${fig.overFloor.toFixed(0)} ms ` +
          `(${fig.timesFloor.toFixed(2)}×), second visit floor + ${fig.againOverFloor.toFixed(0)} ms (${fig.againTimesFloor.toFixed(2)}×)`);
        outs[k].push(fig);
      }
    }
    for (const [k, site] of sites.entries()) {
      outs[k].server = await serverTimes(site.server.url, site.reader.token);
      say(`${path.basename(site.bin)} server: home request ${outs[k].server.home.toFixed(1)} ms, /health ${outs[k].server.health.toFixed(1)} ms`);
    }
    return outs;
  } finally {
    for (const site of sites) await site.server.stop();
  }
}

const loadAtStart = os.loadavg()[0];
const { server: srv, reader } = await company(path.resolve(BIN));
const browser = await launch();
try {
  // (a) the first screen's JavaScript and CSS
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, reader);
  // a new context with the signed-in storage: nothing cached, as on a first visit
  const first = await browser.newContext({ viewport: DESK, storageState: withoutSnapshot(await page.context().storageState()) });
  const fresh = await first.newPage();
  const urls = new Set();
  const wireSizes = []; // bytes of body each response took on the wire (as partyline sent it)
  let drawn = false; // what comes after the first post (the other views, preloaded) is not the first screen's
  fresh.on('request', (r) => {
    if (!drawn && ['script', 'stylesheet'].includes(r.resourceType())) urls.add(r.url());
  });
  fresh.on('requestfinished', (r) => {
    if (urls.has(r.url())) wireSizes.push(r.sizes().then((z) => z.responseBodySize));
  });
  await fresh.goto(`${srv.url}/#/home`);
  await fresh.getByRole('list', { name: 'Home feed' }).getByRole('article').first().waitFor({ timeout: 15_000 });
  drawn = true;
  await fresh.waitForLoadState('networkidle');
  const files = [];
  for (const u of [...urls].sort()) {
    const body = Buffer.from(await (await fetch(u)).arrayBuffer());
    files.push({ path: new URL(u).pathname, raw: body.length, gz: gzipSync(body, { level: 9 }).length });
  }
  const html = Buffer.from(await (await fetch(`${srv.url}/`)).arrayBuffer());
  const htmlGz = gzipSync(html, { level: 9 }).length;
  const raw = files.reduce((a, f) => a + f.raw, 0);
  const gz = files.reduce((a, f) => a + f.gz, 0);
  const wire = (await Promise.all(wireSizes)).reduce((a, b) => a + b, 0);
  say(`first screen: ${files.length} files, ${raw} B, ${gz} B gzip -9, ${wire} B on the wire`);

  // (b) rendering 40 posts: statusCard() bundled here from web/js/status.js and served to the
  // page from its own origin (the page's bundle exports nothing)
  const cardModule = (await esbuild.build({
    entryPoints: ['web/js/status.js'], bundle: true, format: 'esm', minify: true, write: false,
  })).outputFiles[0].text;
  await fresh.route('**/bench/status.js', (route) => route.fulfill({ contentType: 'text/javascript', body: cardModule }));
  const timings = await fresh.evaluate(async (runs) => {
    const token = localStorage.getItem('partyline.token');
    const res = await fetch('/api/v1/timelines/home?limit=40', { headers: { Authorization: `Bearer ${token}` } });
    const statuses = await res.json();
    const { statusCard } = await import('/bench/status.js');
    const texts = statuses.map((s) => {
      const st = s.reblog ?? s;
      return `${st.account.display_name || st.account.username} ${st.content.replace(/<[^>]+>/g, ' ')}`;
    });
    const host = document.getElementById('view');
    const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const out = { cards: [], plain: [], cardsFrame: [], plainFrame: [], n: statuses.length };
    const once = async (kind) => {
      await nextFrame();
      performance.mark(`${kind}-start`);
      const ol = document.createElement('ol');
      ol.className = 'feed';
      if (kind === 'cards') {
        for (const s of statuses) ol.append(statusCard(s));
      } else {
        for (const t of texts) {
          const li = document.createElement('li');
          li.textContent = t;
          ol.append(li);
        }
      }
      host.prepend(ol);
      void ol.offsetHeight; // style and layout now, inside the measure
      performance.mark(`${kind}-end`);
      const m = performance.measure(kind, `${kind}-start`, `${kind}-end`);
      out[kind].push(m.duration);
      await nextFrame();
      out[`${kind}Frame`].push(performance.now() - m.startTime);
      ol.remove();
      performance.clearMarks();
      performance.clearMeasures();
    };
    for (let i = 0; i < 5; i++) { await once('cards'); await once('plain'); } // warm-up
    out.cards = []; out.plain = []; out.cardsFrame = []; out.plainFrame = [];
    for (let i = 0; i < runs; i++) { await once('cards'); await once('plain'); }
    return out;
  }, RUNS);
  const cardsMs = median(timings.cards);
  const plainMs = median(timings.plain);
  const cardsFrame = median(timings.cardsFrame);
  const plainFrame = median(timings.plainFrame);
  say(`40 posts: cards ${cardsMs.toFixed(2)} ms, plain ${plainMs.toFixed(2)} ms (medians of ${RUNS})`);

  // (c) loading the home feed on a phone's network, and the baseline binary the same way
  await srv.stop();
  const [loads, base] = await loadFigures([path.resolve(BIN), ...(BASELINE ? [BASELINE] : [])], browser);
  const ms = (x) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
  const times = (x) => `${x.toFixed(2)}×`;
  const target = { unthrottled: 400, 'Fast 3G': 2500 };
  const loadRows = loads.map((f, i) => {
    const b = base?.[i];
    const met = target[f.network] ? (f.first < target[f.network] ? ' (target met)' : ' (target missed)') : '';
    const cell = (k, fmt) => (b ? `${fmt(f[k])} (${fmt(b[k])})` : fmt(f[k]));
    return `| ${f.network} | **${ms(f.first)}**${met}${b ? ` (${ms(b.first)})` : ''} [${f.firstSpread}] | ${cell('forty', ms)} | ` +
      `${cell('before', String)} | ${cell('bytes', (x) => `${(x / 1024).toFixed(1)} KiB`)} | ` +
      `**${ms(f.again)}**${f.network === 'unthrottled' ? (f.again < 150 ? ' (target met)' : ' (target missed)') : ''}${b ? ` (${ms(b.again)})` : ''} [${f.againSpread}] | ` +
      `${cell('againFresh', ms)} | ${cell('health', ms)} | ` +
      `${cell('floor', ms)} [${f.floorSpread}] | ${cell('overFloor', ms)}, ${cell('timesFloor', times)} | ` +
      `${cell('floorAgain', ms)} [${f.floorAgainSpread}] | ${cell('againOverFloor', ms)}, ${cell('againTimesFloor', times)} |`;
  }).join('\n');

  const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  const kb = (b) => (b / 1024).toFixed(1);
  const section = `## Web client

- Command: \`node bench/web.mjs ${BIN}\` (BENCH_WEB_RUNS=${RUNS}); revision ${rev}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
- Machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM;
  headless Chromium ${browser.version()} (\`/usr/bin/chromium\`) and the server (SQLite) on it; load
  average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end (others' work shares the cores).
- **First screen** (signed in, \`#/home\`; every script and stylesheet the page requested, each
  compressed with gzip -9): ${files.length} files, ${kb(raw)} KiB raw, **${kb(gz)} KiB compressed**
  (budget ${BUDGET_KB} KB: ${gz <= BUDGET_KB * 1000 ? 'met' : 'missed'}, ${((gz / (BUDGET_KB * 1000)) * 100).toFixed(0)}% of it); the HTML page
  besides: ${kb(html.length)} KiB, ${kb(htmlGz)} KiB compressed. On the wire (response bodies as
  partyline sent them to chromium, which accepts gzip: the files are gzip -9'd at build time):
  **${kb(wire)} KiB**.
  ${files.map((f) => `\`${f.path}\` ${f.gz} B`).join(', ')}
- **A feed of ${timings.n} posts** (the server's answer to \`GET /api/v1/timelines/home?limit=40\`, drawn by
  \`statusCard()\`; build, insert, style and layout between two performance marks), median of ${RUNS}:
  **${cardsMs.toFixed(2)} ms** (budget ${BUDGET_MS} ms: ${cardsMs < BUDGET_MS ? 'met' : 'missed'});
  baseline in the same runs, 40 plain \`<li>\` of the same text: ${plainMs.toFixed(2)} ms
  (cards / baseline = ${(cardsMs / plainMs).toFixed(1)}×). To the next frame (paint included): cards
  ${cardsFrame.toFixed(1)} ms, baseline ${plainFrame.toFixed(1)} ms.
- **Loading the home feed** (signed in, \`/#/home\` at 390×844 in a fresh browser context; network
  emulated through CDP as DevTools' presets; medians of ${LOADS} loads each, [fastest–slowest];
  times from navigation start; "second visit" is a new tab of the same profile, cache warm: its
  first posts are the last visit's copy, "fresh posts" when the fresh first page replaced them;
  "/health page" is the same browser loading \`/health\` in the same conditions, its last byte:
  the network's floor; "floor" is a trivial page's one inline-drawn element, measured like the
  first post in a fresh context of the same setup, interleaved with these loads (served by
  request interception with the binary's headers: the browser's floor on this machine at that
  moment), "floor, second tab" the same in a new tab of that context, the floor of a second
  visit (on Fast and Slow 3G the emulated network does not slow an intercepted answer: there
  the floor is the browser's alone, and the /health page the network's); "less the floor" is the median over the loads of each load's figure less the floor
  measured beside it, "× floor" of their ratio; the page says when it drew a post in the
  console, not polled${POLL ? ' (this run: polled by waitForFunction, the old way)' : ''}).${base ? `
  In brackets, the baseline in the same run: \`${process.env.BENCH_WEB_BASELINE}\` (its loads
  interleaved with this binary's and the floor's, load by load${process.env.BENCH_WEB_BASELINE_WHAT ? `: ${process.env.BENCH_WEB_BASELINE_WHAT}` : ''}).` : ''}
  Targets: first post unthrottled < 400 ms, on Fast 3G < 2.5 s; second visit < 150 ms.

| network | first post [spread] | 40 posts | requests before the first post | bytes of the load | second visit: first post [spread] | second visit: fresh posts | /health page | floor [spread] | first post less the floor, × floor | floor, second tab [spread] | second visit less that floor, × it |
|---|---|---|---|---|---|---|---|---|---|---|---|
${loadRows}

The server's own time, from this machine (as \`curl -w %{time_total}\`, medians of 20): the home
request (\`GET /api/v1/timelines/home?limit=20\`, gzip) ${loads.server.home.toFixed(1)} ms, \`GET /health\`
${loads.server.health.toFixed(1)} ms${base ? ` (baseline binary: ${base.server.home.toFixed(1)} ms and ${base.server.health.toFixed(1)} ms)` : ''}.
`;
  process.stdout.write(section);
  let doc = '';
  try { doc = readFileSync(OUT, 'utf8'); } catch { /* new */ }
  const re = /## Web client\n[\s\S]*?(?=\n## |$)/;
  doc = re.test(doc) ? doc.replace(re, section.trimEnd() + '\n') : `${doc.trimEnd()}\n\n${section}`;
  writeFileSync(OUT, doc);
} finally {
  await browser.close();
  await srv.stop();
}
