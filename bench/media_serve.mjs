// bench/media_serve.mjs BINARY — serving files (issue 12): a picture of about 1 MB
// (GET /media/KEY/original: the audience check, the decryption, the headers) against the same
// bytes of /app.css (a static file from memory), as bytes per second with wrk on this machine;
// and a 20 MB file, which is streamed (pulled in 128 KiB pieces on a read worker).
// Prints the figures; BENCHMARKS.md ("Serving files") quotes them.
//
// Environment: BENCH_MEDIA_SECONDS [10], BENCH_MEDIA_CONNECTIONS [8]

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { registerUsers, startServer } from '../tests/api/harness.mjs';

process.env.PARTYLINE_BIN = path.resolve(process.argv[2] || 'build/partyline');
const SECONDS = Number(process.env.BENCH_MEDIA_SECONDS || 10);
const CONNS = Number(process.env.BENCH_MEDIA_CONNECTIONS || 8);

/** A noisy JPEG of w×h (noise keeps it large after the upload re-encodes it). */
function picture(w, h) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-bench-'));
  try {
    const f = (n) => path.join(dir, n);
    execFileSync('vips', ['gaussnoise', f('n.v'), String(w), String(h), '--sigma', '40']);
    execFileSync('vips', ['bandjoin', `${f('n.v')} ${f('n.v')} ${f('n.v')}`, f('p.v')]);
    execFileSync('vips', ['cast', f('p.v'), f('c.v'), 'uchar']);
    execFileSync('vips', ['jpegsave', f('c.v'), f('p.jpg'), '--Q', '92']);
    return readFileSync(f('p.jpg'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** wrk's requests and bytes per second for url. */
function wrk(url, token) {
  const args = ['-t2', `-c${CONNS}`, `-d${SECONDS}s`, '--latency'];
  if (token) args.push('-H', `Authorization: Bearer ${token}`);
  const out = execFileSync('wrk', [...args, url]).toString();
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const m = out.match(/Transfer\/sec:\s+([\d.]+)(\w+)/);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[m[2]];
  const p50 = out.match(/^\s+50%\s+(\S+)/m)[1];
  const errors = /Non-2xx|Socket errors/.test(out) ? out.match(/(Non-2xx.*|Socket errors.*)/)[0] : '';
  return { rps, bps: Number(m[1]) * unit, p50, errors };
}

const server = await startServer({ env: { PARTYLINE_RATE_LIMIT_IP: '0', PARTYLINE_RATE_LIMIT_TOKEN: '0', PARTYLINE_MEDIA_PICTURE_MAX_BYTES: '30000000' } });
try {
  const [me] = await registerUsers(server.url, ['bench_media']);
  const pic = await me.client.v2.media.create({ file: new Blob([picture(1500, 1100)]) });
  const doc = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20 * 1024 * 1024)]);
  const big = await me.client.v2.media.create({ file: new Blob([doc]) });
  // the stylesheet is named by its content since the web client is built (scripts/build-web.mjs)
  const cssPath = (await (await fetch(server.url)).text()).match(/<link rel="stylesheet" href="([^"]+)">/)[1];
  const css = (await (await fetch(`${server.url}${cssPath}`, { headers: { 'Accept-Encoding': 'identity' } })).arrayBuffer()).byteLength;
  const r = {
    picture: wrk(pic.url, me.token),
    css: wrk(`${server.url}${cssPath}`),
    big: wrk(big.url, me.token),
  };
  const mb = (b) => (b / 1e6).toFixed(1);
  console.log(`picture: ${pic.partyline.fileSize} B, ${r.picture.rps} req/s, ${mb(r.picture.bps)} MB/s, p50 ${r.picture.p50} ${r.picture.errors}`);
  console.log(`/app.css: ${css} B, ${r.css.rps} req/s, ${mb(r.css.bps)} MB/s, p50 ${r.css.p50} ${r.css.errors}`);
  console.log(`20 MB file (streamed): ${big.partyline.fileSize} B, ${r.big.rps} req/s, ${mb(r.big.bps)} MB/s, p50 ${r.big.p50} ${r.big.errors}`);
  console.log(`ratio picture / app.css (bytes per second): ${(r.picture.bps / r.css.bps).toFixed(2)}`);
  console.log(`ratio 20 MB streamed / app.css (bytes per second): ${(r.big.bps / r.css.bps).toFixed(2)}`);
} finally {
  await server.stop();
}
