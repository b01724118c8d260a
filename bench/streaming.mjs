// bench/streaming.mjs BINARY — the streaming benchmark (`make bench` runs it after run.sh).
//
// Makes a small company with `partyline bench-data` (BENCH_STREAM_CLIENTS + 1 people, each
// with a token), starts `partyline serve` on it (SQLite, rate limits off), opens
// BENCH_STREAM_CLIENTS WebSockets at once, each subscribed to the public stream as a
// different person, and reads the server's resident memory before and after (memory per
// connection). Then one person posts BENCH_STREAM_POSTS public posts, one every
// BENCH_STREAM_GAP_MS, and every client records how long after the POST was sent the post
// reached it (delivery latency: commit, the wake-up of the loops, one decision per
// subscriber, the write). The clients run in this one Node process on the same machine, so
// they take CPU from the server. Replaces the "## Streaming" section of BENCHMARKS.md
// (BENCH_OUT).
//
// Environment: BENCH_STREAM_CLIENTS [5000], BENCH_STREAM_POSTS [40], BENCH_STREAM_GAP_MS [250]

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import WebSocket from 'ws';

const BIN = path.resolve(process.argv[2] || 'build/partyline');
const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS || 5000);
const POSTS = Number(process.env.BENCH_STREAM_POSTS || 40);
const GAP = Number(process.env.BENCH_STREAM_GAP_MS || 250);
const OUT = process.env.BENCH_OUT || 'BENCHMARKS.md';
const say = (m) => process.stderr.write(`bench-streaming: ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const rssKiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)[1]);

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-stream-bench-'));
const env = { ...process.env, PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_RATE_LIMIT_IP: '0',
  PARTYLINE_STREAM_MAX_CONNECTIONS: String(CLIENTS + 100), PARTYLINE_METRICS_TOKEN: 'bench-metrics' };
const metricsAuth = { headers: { authorization: 'Bearer bench-metrics' } };
let server;
try {
  const t0 = Date.now();
  execFileSync(BIN, ['bench-data', '--data', dir, '--users', String(CLIENTS + 1), '--posts', '2000',
    '--tokens', path.join(dir, 'tokens.txt')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const tokens = readFileSync(path.join(dir, 'tokens.txt'), 'utf8').split('\n').filter(Boolean);
  say(`${tokens.length} people in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['serve', '--data', dir, '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch { /* not yet */ }
    if (i > 200) throw new Error('the server did not start');
    await sleep(50);
  }
  const rssBefore = rssKiB(server.pid);

  // open the clients, 200 at a time
  const sent = new Map(); // post id -> send time
  const pendingByText = new Map();
  const latencies = [];
  let delivered = 0;
  const sockets = [];
  const open = (token) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/streaming?stream=public`, [token]);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const now = performance.now();
      const m = JSON.parse(data);
      if (m.event !== 'update') return;
      const marker = m.payload.match(/bench-post-(\d+)/);
      if (!marker) return;
      const at = pendingByText.get(marker[1]);
      if (at === undefined) return;
      latencies.push(now - at);
      delivered++;
    });
  });
  const t1 = Date.now();
  for (let i = 0; i < CLIENTS; i += 200) {
    const batch = tokens.slice(1 + i, 1 + Math.min(CLIENTS, i + 200));
    sockets.push(...(await Promise.all(batch.map(open))));
  }
  say(`${sockets.length} WebSockets open in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  await sleep(1000);
  const rssAfter = rssKiB(server.pid);
  const metricsText = await (await fetch(`${url}/metrics`, metricsAuth)).text();
  const open_ = Number(metricsText.match(/^partyline_streaming_connections (\d+)/m)?.[1] || 0);

  // post, stamped; every client times each arrival
  const poster = tokens[0];
  for (let k = 0; k < POSTS; k++) {
    pendingByText.set(String(k), performance.now());
    const r = await fetch(`${url}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${poster}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: `bench-post-${k} streamed to everyone`, visibility: 'public' }),
    });
    if (!r.ok) throw new Error(`post failed: ${r.status}`);
    const { id } = await r.json();
    sent.set(id, k);
    await sleep(GAP);
  }
  const expected = POSTS * sockets.length;
  const end = Date.now() + 30000;
  while (delivered < expected && Date.now() < end) await sleep(100);
  const m2 = await (await fetch(`${url}/metrics`, metricsAuth)).text();
  const dropped = Number(m2.match(/^partyline_streaming_clients_dropped_total (\d+)/m)?.[1] || 0);
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const max = latencies.at(-1);
  const perConn = ((rssAfter - rssBefore) * 1024) / Math.max(1, sockets.length);
  for (const ws of sockets) ws.terminate();

  const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  const section = `## Streaming

- Command: \`node bench/streaming.mjs ${path.relative(process.cwd(), BIN)}\` (BENCH_STREAM_CLIENTS=${CLIENTS},
  BENCH_STREAM_POSTS=${POSTS}, BENCH_STREAM_GAP_MS=${GAP}); revision ${rev}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
- Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM; the clients (one Node process) run on it too.
  Open files allowed: ${execFileSync('sh', ['-c', 'ulimit -n']).toString().trim()} per process (the server needs one per connection).
- SQLite; ${CLIENTS} WebSocket clients, each a different person, on the public stream (every post goes
  to every client: each delivery asks the audience rules for that person).
- Open connections (metrics): ${open_}
- Server memory: ${(rssBefore / 1024).toFixed(1)} MiB before the clients, ${(rssAfter / 1024).toFixed(1)} MiB with them:
  **${(perConn / 1024).toFixed(1)} KiB per connection**
- Deliveries: ${delivered} of ${expected} within 30 s; clients dropped: ${dropped}
- Delivery latency (POST sent → message received, over all deliveries): p50 ${p50.toFixed(1)} ms,
  **p99 ${p99.toFixed(1)} ms** (goal < 100 ms: ${p99 < 100 ? 'met' : 'missed'}), max ${max?.toFixed(1)} ms
`;
  process.stdout.write(section);
  let doc = '';
  try { doc = readFileSync(OUT, 'utf8'); } catch { /* new */ }
  const re = /## Streaming\n[\s\S]*?(?=\n## |$)/;
  doc = re.test(doc) ? doc.replace(re, section.trimEnd() + '\n') : `${doc.trimEnd()}\n\n${section}`;
  writeFileSync(OUT, doc);
} finally {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
}
