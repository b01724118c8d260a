// bench/listen-server.mjs [BINARY] — what listening's watches cost posting, through the server
// (issue 16; app/listening.c). Starts `partyline serve` (SQLite, the test harness's settings),
// makes 10 authors, and posts BENCH_LISTEN_POSTS posts one at a time (each waits for the one
// before), first with no watch in the company, then with 1,000 (20 people × 50, the ten
// shapes of bench/listen-match.c drawn from the same names as the posts, so they hit as real
// watches would). For each round: the POST's latency (p50, p99) and the server's CPU time per
// post (user + system of the whole process, /proc/PID/stat, read after the matcher has caught
// up: the matcher thread's work is in it). Then, with the 1,000 watches, how long after a
// POST answered its post shows in a watch's matches (polled every 2 ms; p50, p99 of
// BENCH_LISTEN_PROBES posts). Prints a Markdown table.
//
// Environment: BENCH_LISTEN_POSTS [400], BENCH_LISTEN_PROBES [40], BENCH_LISTEN_MISS [0] (1: the
// 1,000 queries are made of words no post has — the matching alone, with nothing to keep)

import { readFileSync } from 'node:fs';

import { raw, registerUsers, startServer } from '../tests/api/harness.mjs';

if (process.argv[2]) process.env.PARTYLINE_BIN = process.argv[2];
const POSTS = Number(process.env.BENCH_LISTEN_POSTS || 400);
const PROBES = Number(process.env.BENCH_LISTEN_PROBES || 40);
const MISS = process.env.BENCH_LISTEN_MISS === '1';
const W = '/api/v1/partyline/watches';
const say = (m) => process.stderr.write(`bench-listen: ${m}\n`);

// the names of bench/listen-match.c, so that queries hit posts as often as there
const products = ['Atlas', 'Nimbus', 'Beacon', 'Harbor', 'Quill', 'Lumen', 'Orbit', 'Cascade', 'Pinnacle', 'Vertex',
  'Summit', 'Meridian', 'Solstice', 'Ember', 'Tidal', 'Compass', 'Keystone', 'Mosaic', 'Prism', 'Relay', 'Sable',
  'Trellis', 'Vantage', 'Willow', 'Zephyr', 'Arbor', 'Bastion', 'Cobalt', 'Dynamo', 'Fathom', 'Granite', 'Halcyon',
  'Ion', 'Juniper', 'Kestrel', 'Lattice', 'Monarch', 'Nexus', 'Onyx', 'Paragon'];
const customers = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Woodgrove', 'Litware', 'Proseware', 'Adventure',
  'Alpine', 'Bellows', 'Coho', 'Datum', 'Fourth', 'Graphic', 'Humongous', 'Lucerne', 'Margie', 'Nod', 'Relecloud',
  'Southridge', 'Trey', 'Wingtip', 'Wide', 'Consolidated', 'Lamna', 'Munson', 'Olympia', 'Rainier', 'Sunset',
  'Tuscany', 'Vanarsdel', 'Westwood', 'Zava', 'Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark'];
const problems = ['outage', 'downtime', 'bug', 'crash', 'refund', 'complaint', 'slow', 'broken', 'error', 'timeout',
  'churn', 'escalation', 'incident', 'regression', 'leak', 'breach', 'delay', 'cancel', 'angry', 'failure'];
const topics = ['pricing', 'roadmap', 'release', 'launch', 'integration', 'migration', 'renewal', 'contract',
  'onboarding', 'training', 'security', 'billing', 'invoice', 'upgrade', 'feedback', 'survey', 'webinar', 'campaign',
  'budget', 'forecast', 'pipeline', 'support', 'ticket', 'workshop', 'demo', 'trial', 'license', 'partner'];

let seed = 12345;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const pick = (a) => a[rnd(a.length)];

function postText(k) {
  const tag = rnd(3) === 0 ? ` #${pick(topics)}` : '';
  return `${pick(customers)} asked about the ${pick(products)} ${pick(topics)} (number ${k}). ` +
    `The ${pick(problems)} last week is fixed, the next step is the ${pick(topics)}.${tag}`;
}

function query(i) {
  const q0 = query0(i);
  return MISS ? q0.replace(/([A-Za-z]+)(?=[" )]|$)/g, (m) => (/^(AND|OR|NOT|NEAR)$/.test(m) ? m : `${m}zq`)) : q0;
}

function query0(i) {
  const p = pick(products), q = pick(i % 2 ? customers : products), t = pick(topics), b = pick(problems);
  switch (i % 10) {
    case 0: return p;
    case 1: return `"${p} ${t}"`;
    case 2: return `${p} AND (${b} OR angry OR downtime)`;
    case 3: return `${p} NEAR/5 ${b}`;
    case 4: return `(${p} OR ${q}) NOT test`;
    case 5: return `from:nobody${i} #${t}`;
    case 6: return `in:#servicedesk (${b} OR crash)`;
    case 7: return `"${p} ${t}" OR "${q} ${b}"`;
    case 8: return `${p} ${t} NOT internal`;
    default: return `#${t} ${p}`;
  }
}

function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, at 100 ticks a second
}

const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function call(token, method, p, json) {
  const r = await raw(srv.url, p, { method, token, json });
  if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${r.text}`);
  return r.json;
}

const srv = await startServer({ sqlite: true, env: { PARTYLINE_FEEDS_POLL_SECONDS: '0' } });
try {
  const authors = await registerUsers(srv.url, Array.from({ length: 10 }, () => 'ba'));
  let k = 0;
  async function round(name) {
    // a few posts first: caches, statements
    for (let i = 0; i < 20; i++) await call(authors[i % 10].token, 'POST', '/api/v1/statuses', { status: postText(k++), visibility: 'public' });
    await new Promise((r) => setTimeout(r, 500));
    const cpu0 = cpuMs(srv.pid);
    const lat = [];
    for (let i = 0; i < POSTS; i++) {
      const t0 = performance.now();
      await call(authors[i % 10].token, 'POST', '/api/v1/statuses', { status: postText(k++), visibility: 'public' });
      lat.push(performance.now() - t0);
    }
    await new Promise((r) => setTimeout(r, 1000)); // the matcher catches up (it is woken by each post)
    const cpu = (cpuMs(srv.pid) - cpu0 - 0) / POSTS;
    say(`${name}: p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms, CPU ${cpu.toFixed(2)} ms a post`);
    return { name, p50: pct(lat, 50), p99: pct(lat, 99), cpu };
  }
  const none = await round('no watch');
  const owners = await registerUsers(srv.url, Array.from({ length: 20 }, () => 'bw'));
  for (let i = 0; i < 1000; i++) {
    await call(owners[Math.floor(i / 50)].token, 'POST', W, { title: `w${i}`, query: i === 0 ? 'probe' : query(i) });
  }
  const probeWatch = (await call(owners[0].token, 'GET', W)).find((w) => w.query === 'probe');
  const many = await round('1,000 watches');
  let matched = 0;
  for (const o of owners) matched += (await call(o.token, 'GET', W)).reduce((a, w) => a + w.matches_count, 0);
  // time to a match
  const waits = [];
  for (let i = 0; i < PROBES; i++) {
    const p = await call(authors[i % 10].token, 'POST', '/api/v1/statuses', { status: `probe ${i} ${postText(k++)}`, visibility: 'public' });
    const t0 = performance.now();
    for (;;) {
      const got = await call(owners[0].token, 'GET', `${W}/${probeWatch.id}/matches?limit=1`);
      if (got[0]?.id === p.id) break;
      if (performance.now() - t0 > 10000) throw new Error('no match in 10 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    waits.push(performance.now() - t0);
  }
  say(`time to a match: p50 ${pct(waits, 50).toFixed(1)} ms, p99 ${pct(waits, 99).toFixed(1)} ms`);
  console.log(`| | POST p50 | POST p99 | server CPU per post |`);
  console.log(`|---|---|---|---|`);
  for (const r of [none, many]) console.log(`| ${r.name} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.cpu.toFixed(2)} ms |`);
  console.log(`| ratio | ${(many.p50 / none.p50).toFixed(2)} | ${(many.p99 / none.p99).toFixed(2)} | ${(many.cpu / none.cpu).toFixed(2)} |`);
  console.log('');
  console.log(`matches kept per post (all 1,000 watches): ${(matched / (POSTS + 20)).toFixed(1)}; time from a POST's answer to its match: p50 ${pct(waits, 50).toFixed(1)} ms, p99 ${pct(waits, 99).toFixed(1)} ms (${PROBES} posts)`);
} finally {
  await srv.stop();
}
