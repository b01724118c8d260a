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
// Replaces the "## Web client" section of BENCHMARKS.md (BENCH_OUT).
// Environment: BENCH_WEB_RUNS [50], BENCH_OUT [BENCHMARKS.md], CHROMIUM [/usr/bin/chromium]

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { registerUser, startServer, uniqueName } from '../tests/api/harness.mjs';
import { DESK, launch, newPage, signIn } from '../tests/browser/browser.mjs';

const BIN = process.argv[2] || 'build/partyline';
process.env.PARTYLINE_BIN = path.resolve(BIN);
const RUNS = Number(process.env.BENCH_WEB_RUNS || 50);
const OUT = process.env.BENCH_OUT || 'BENCHMARKS.md';
const BUDGET_KB = 100;
const BUDGET_MS = 100;
const say = (m) => process.stderr.write(`bench-web: ${m}\n`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const srv = await startServer({ env: { PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_RATE_LIMIT_IP: '0' } });
const browser = await launch();
try {
  const reader = await registerUser(srv.url, uniqueName('reader'));
  const writer = await registerUser(srv.url, uniqueName('writer'));
  const other = await registerUser(srv.url, uniqueName('other'));
  await reader.client.v1.accounts.$select(writer.account.id).follow();
  // 40 posts that look like a working day's: mentions, hashtags, links, warnings, boosts
  const boostable = [];
  for (let i = 0; i < 8; i++) {
    boostable.push(await other.client.v1.statuses.create({
      status: `Release notes ${i}: the export runs nightly now, see https://example.com/notes/${i} #release`,
    }));
  }
  for (let i = 0; i < 40; i++) {
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

  // (a) the first screen's JavaScript and CSS
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, reader);
  // a new context with the signed-in storage: nothing cached, as on a first visit
  const first = await browser.newContext({ viewport: DESK, storageState: await page.context().storageState() });
  const fresh = await first.newPage();
  const urls = new Set();
  const wireSizes = []; // bytes of body each response took on the wire (as partyline sent it)
  fresh.on('request', (r) => {
    if (['script', 'stylesheet'].includes(r.resourceType())) urls.add(r.url());
  });
  fresh.on('requestfinished', (r) => {
    if (['script', 'stylesheet'].includes(r.resourceType())) wireSizes.push(r.sizes().then((z) => z.responseBodySize));
  });
  await fresh.goto(`${srv.url}/#/home`);
  await fresh.getByRole('list', { name: 'Home feed' }).getByRole('article').first().waitFor({ timeout: 15_000 });
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

  // (b) rendering 40 posts
  const timings = await fresh.evaluate(async (runs) => {
    const token = localStorage.getItem('partyline.token');
    const res = await fetch('/api/v1/timelines/home?limit=40', { headers: { Authorization: `Bearer ${token}` } });
    const statuses = await res.json();
    const { statusCard } = await import('/js/status.js');
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

  const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  const kb = (b) => (b / 1024).toFixed(1);
  const section = `## Web client

- Command: \`node bench/web.mjs ${BIN}\` (BENCH_WEB_RUNS=${RUNS}); revision ${rev}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
- Machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM;
  headless Chromium ${browser.version()} (\`/usr/bin/chromium\`) and the server (SQLite) on it.
- **First screen** (signed in, \`#/home\`; every script and stylesheet the page requested, each
  compressed with gzip -9): ${files.length} files, ${kb(raw)} KiB raw, **${kb(gz)} KiB compressed**
  (budget ${BUDGET_KB} KB: ${gz <= BUDGET_KB * 1000 ? 'met' : 'missed'}, ${((gz / (BUDGET_KB * 1000)) * 100).toFixed(0)}% of it); the HTML page
  besides: ${kb(html.length)} KiB, ${kb(htmlGz)} KiB compressed. On the wire (response bodies as
  partyline sent them to chromium, which accepts gzip: the files are gzip -9'd at build time):
  **${kb(wire)} KiB**. Modules are one request each (no bundle).
  ${files.map((f) => `\`${f.path}\` ${f.gz} B`).join(', ')}
- **A feed of ${timings.n} posts** (the server's answer to \`GET /api/v1/timelines/home?limit=40\`, drawn by
  \`statusCard()\`; build, insert, style and layout between two performance marks), median of ${RUNS}:
  **${cardsMs.toFixed(2)} ms** (budget ${BUDGET_MS} ms: ${cardsMs < BUDGET_MS ? 'met' : 'missed'});
  baseline in the same runs, 40 plain \`<li>\` of the same text: ${plainMs.toFixed(2)} ms
  (cards / baseline = ${(cardsMs / plainMs).toFixed(1)}×). To the next frame (paint included): cards
  ${cardsFrame.toFixed(1)} ms, baseline ${plainFrame.toFixed(1)} ms.
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
