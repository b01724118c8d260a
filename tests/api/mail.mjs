// mail.mjs — the e-mail side of the API and browser tests: a real SMTP server on loopback
// (tests/api/smtp-sink.py, Debian's python3-aiosmtpd) whose messages are read back from its
// folder, parsed (headers unfolded, quoted-printable and RFC 2047 decoded) and searched for
// the confirmation link.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { freePort, repoRoot } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts tests/api/smtp-sink.py on a free port; {url, dir, refuse(on), stop()}. */
export async function startSink() {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'partyline-mail-'));
  const child = spawn('/usr/bin/python3', [path.join(repoRoot, 'tests/api/smtp-sink.py'), String(port), dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smtp-sink did not start: ${err}`)), 10_000);
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`smtp-sink exited with ${code}: ${err}`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    async refuse(on) {
      const f = path.join(dir, 'refuse');
      if (on) await writeFile(f, '');
      else await unlink(f).catch(() => {});
    },
    async stop() {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Splits a message into {headers (lower-case names, unfolded), body (QP decoded, as text)}. */
export function parseMail(text) {
  const cut = text.indexOf('\r\n\r\n');
  assert.ok(cut > 0, 'a message has headers, a blank line and a body');
  const headers = {};
  for (const line of text.slice(0, cut).replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const raw8 = text.slice(cut + 4);
  for (const line of raw8.split('\r\n')) assert.ok(line.length <= 76, `a quoted-printable line is at most 76 characters: ${line}`);
  const bytes = [];
  const qp = raw8.replace(/=\r\n/g, '');
  for (let i = 0; i < qp.length; i++) {
    if (qp[i] === '=' && /^[0-9A-F]{2}$/.test(qp.slice(i + 1, i + 3))) {
      bytes.push(parseInt(qp.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(qp.charCodeAt(i));
    }
  }
  return { headers, body: Buffer.from(bytes).toString('utf8') };
}

/** Decodes RFC 2047 encoded words (UTF-8, base64); adjacent words join without a space. */
export function decodeWords(v) {
  return v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

/** Waits for the next message in the sink addressed to `to` that was not seen before. */
export async function nextMail(sink, to, seen, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of (await readdir(sink.dir)).filter((n) => n.endsWith('.eml')).sort()) {
      if (seen.has(f)) continue;
      const mail = parseMail(await readFile(path.join(sink.dir, f), 'utf8'));
      if (mail.headers['x-envelope-to'] !== to) continue;
      seen.add(f);
      return mail;
    }
    await sleep(100);
  }
  throw new Error(`no message to ${to} within ${timeoutMs} ms`);
}

export const LINK = /(https?:\/\/[^\s]+\/auth\/confirmation\?confirmation_token=[A-Za-z0-9_-]+)/;
export const UNCONFIRMED = /missing a confirmed e-mail address/;

export function linkOf(mail) {
  const m = LINK.exec(mail.body);
  assert.ok(m, `the message holds the confirmation link:\n${mail.body}`);
  return m[1];
}

