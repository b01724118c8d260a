// bench/web-trace.mjs BINARY — one unthrottled load of the home feed, as a timeline: what the
// page waits for between navigation start and the first post (the page's own navigation and
// resource timing, long tasks, and when the first post appeared). A tool for finding where
// the time goes, not a benchmark: run it several times on a noisy machine.
// Environment: TRACE_LOADS [5], TRACE_SECOND [1: also a second visit in the same profile]

import path from 'node:path';

import { registerUser, startServer, uniqueName } from '../tests/api/harness.mjs';
import { launch, newPage, PHONE, signIn } from '../tests/browser/browser.mjs';

/** storageState without the home feed's copy of the last visit: a first visit has none. */
const withoutSnapshot = (state) => ({
  ...state,
  origins: state.origins.map((o) => ({ ...o, localStorage: o.localStorage.filter((e) => e.name !== 'partyline.homeSnapshot') })),
});

const BIN = path.resolve(process.argv[2] || 'build/partyline');
const LOADS = Number(process.env.TRACE_LOADS || 5);
process.env.PARTYLINE_BIN = BIN;

const server = await startServer({ env: { PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_RATE_LIMIT_IP: '0' } });
const reader = await registerUser(server.url, uniqueName('reader'));
const writer = await registerUser(server.url, uniqueName('writer'));
await reader.client.v1.accounts.$select(writer.account.id).follow();
for (let i = 0; i < 40; i++) {
  await writer.client.v1.statuses.create({
    status: `Post ${i}: the quarterly numbers look good, notes at https://example.com/q/${i} #planning`,
  });
}

const MARKS = `(() => {
  window.__first = null; window.__long = [];
  new MutationObserver(() => {
    if (window.__first === null && document.querySelector('ol[aria-label="Home feed"] article')) {
      window.__first = performance.now();
      console.debug('bench:first');
    }
    if (window.__fresh == null && document.querySelector('ol[aria-label="Home feed"]:not([data-snapshot]) article'))
      window.__fresh = performance.now();
  }).observe(document, { childList: true, subtree: true });
  try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); })
    .observe({ type: 'longtask', buffered: true }); } catch {}
})();`;

async function once(context, label) {
  const page = await context.newPage();
  await page.addInitScript(MARKS);
  let cdp = null;
  if (process.env.TRACE_PROFILE) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  if (process.env.TRACE_CHROME) {
    await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'] });
  }
  // told by the page, not polled: waitForFunction's injected script would run on the page's
  // main thread in the middle of the load (as bench/web.mjs)
  const seen = page.waitForEvent('console', { predicate: (m) => m.text() === 'bench:first', timeout: 30_000 });
  await page.goto(`${server.url}/#/home`, { waitUntil: 'commit' });
  await seen;
  await page.waitForTimeout(300);
  const t = await page.evaluate(() => {
    const r = (x) => Math.round(x);
    const nav = performance.getEntriesByType('navigation')[0];
    const out = [`  html: request ${r(nav.requestStart)} first byte ${r(nav.responseStart)} end ${r(nav.responseEnd)}; ` +
      `domInteractive ${r(nav.domInteractive)} DCL ${r(nav.domContentLoadedEventStart)}-${r(nav.domContentLoadedEventEnd)} load ${r(nav.loadEventStart)}`];
    for (const e of performance.getEntriesByType('resource')) {
      out.push(`  ${new URL(e.name).pathname.slice(0, 50).padEnd(50)} start ${r(e.startTime)} req ${r(e.requestStart)} ` +
        `ttfb ${r(e.responseStart)} end ${r(e.responseEnd)} ${e.transferSize} B`);
    }
    const paints = performance.getEntriesByType('paint').map((p) => `${p.name} ${r(p.startTime)}`).join(', ');
    out.push(`  paints: ${paints}; long tasks [start,dur]: ${JSON.stringify(window.__long)}`);
    out.push('  marks: ' + performance.getEntriesByType('mark').map((m) => `${m.name} ${r(m.startTime)}`).join(', '));
    out.push(`  FIRST POST ${r(window.__first)} (fresh posts ${r(window.__fresh)})`);
    return { text: out.join('\n'), first: window.__first };
  });
  console.log(`${label}\n${t.text}`);
  if (process.env.TRACE_CHROME) {
    const buf = await browser.stopTracing();
    const ev = JSON.parse(buf.toString()).traceEvents;
    const nav = ev.find((e) => e.name === 'navigationStart' || e.name === 'NavigationTimelineStart' ) ?? ev.find((e) => e.name === 'TracingStartedInBrowser');
    const fcp = ev.find((e) => e.name === 'firstContentfulPaint');
    // the renderer main thread: where the top-level tasks run
    const main = ev.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && ev.some((x) => x.pid === e.pid && x.name === 'ParseHTML'));
    const t0 = ev.find((e) => e.name === 'navigationStart' && e.pid === main.pid)?.ts ?? nav.ts;
    const mine = ev.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
    const names = ['ParseHTML', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame',
      'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'ParseAuthorStyleSheet', 'RunMicrotasks', 'v8.run', 'ResourceReceivedData', 'v8.parseOnBackground', 'HitTest', 'IntersectionObserverController::computeIntersections', 'ScheduleStyleRecalculation'];
    const tot = {};
    const tl = [];
    for (const e of mine) {
      const st = (e.ts - t0) / 1000, en = st + e.dur / 1000;
      if (e.name === 'RunTask' && e.dur > 5000) tl.push(`${st.toFixed(0)}-${en.toFixed(0)}`);
      if (!names.includes(e.name)) continue;
      tot[e.name] = (tot[e.name] || 0) + e.dur / 1000;
      if (e.dur > 8000) console.log(`    ${st.toFixed(0).padStart(5)} +${(e.dur / 1000).toFixed(0).padStart(4)} ${e.name} ${e.args?.data?.url?.split('/').pop() ?? e.args?.data?.functionName ?? ''}`);
    }
    console.log(`    tasks > 5 ms: ${tl.join(' ')}`);
    console.log(`    totals (nested counted twice): ${Object.entries(tot).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  }
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas;
    profile.samples.forEach((id, i) => {
      const n = byId.get(id);
      const f = n.callFrame;
      const k = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(k, (self.get(k) || 0) + (dt[i] || 0) / 1000);
    });
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
    for (const [k, v] of top) console.log(`    ${v.toFixed(1).padStart(7)} ms  ${k}`);
  }
  await page.close();
  return t.first;
}

const browser = await launch();
try {
  const signin = await newPage(browser, PHONE);
  await signIn(signin, server.url, reader);
  // a first visit has no copy of a last visit's feed (homesnapshot.js): the sign-in's is dropped
  const storageState = withoutSnapshot(await signin.context().storageState());
  await signin.context().close();
  const firsts = [], seconds = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: PHONE, storageState });
    firsts.push(await once(context, `load ${i + 1} (fresh)`));
    if (process.env.TRACE_SECOND !== '0') seconds.push(await once(context, `load ${i + 1} (second visit)`));
    await context.close();
  }
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  console.log(`first post: median ${Math.round(med(firsts))} ms of ${firsts.map(Math.round).join(', ')}`);
  if (seconds.length) console.log(`second visit: median ${Math.round(med(seconds))} ms of ${seconds.map(Math.round).join(', ')}`);
} finally {
  await browser.close();
  await server.stop();
}
