// harness.mjs — starts a partyline server for one test file and offers the helpers the
// API tests share. Every call the masto client supports goes through masto; fetch is only
// for what masto cannot do (raw headers, HTML pages, /health, well-known documents).
//
// Environment: PARTYLINE_BIN (the binary, default build/partyline), PARTYLINE_TEST_LOGS=1
// (print each server's stderr when it stops), AUDIENCE_SEED (audience.test.mjs).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { createOAuthAPIClient, createRestAPIClient, MastoHttpError } from 'masto';

export { MastoHttpError };

/** What a 404 message may say ("Record not found" in Mastodon). */
// A failed fetch says only "fetch failed"; its cause (ECONNRESET, a closed socket, a refused
// connection) is what tells a flaky network from a server's fault, and node's test reporter
// does not print it: every fetch of a test process (masto.js's too) carries it in its message.
const fetchItself = globalThis.fetch;
globalThis.fetch = async (...args) => {
  try {
    return await fetchItself(...args);
  } catch (e) {
    const c = e?.cause;
    if (c && e.message === 'fetch failed') e.message += ` (${[c.code, c.message ?? String(c)].filter(Boolean).join(': ')})`;
    throw e;
  }
};

export const NOT_FOUND = /not found|does not exist|no such|unknown/i;

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

/** The partyline binary: $PARTYLINE_BIN, or build/partyline in the repository. */
export function binaryPath() {
  return process.env.PARTYLINE_BIN
    ? path.resolve(process.env.PARTYLINE_BIN)
    : path.join(repoRoot, 'build', 'partyline');
}

/** A port that was free a moment ago (bind port 0, read it, close). */
/**
 * `partyline admin ARGS` on a server's data (its database too, and the tests' settings:
 * server.cliEnv), as an administrator types it beside the running server: {code, stdout,
 * stderr}, code 0 when it succeeded.
 */
export async function adminCli(server, args) {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_'))), ...server.cliEnv };
  try {
    const { stdout, stderr } = await promisify(execFile)(binaryPath(), ['admin', ...args, '--data', server.dataDir], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** SQL on a server's database behind its back (sqlite3 on the file, waiting for its lock; psql
 *  on PostgreSQL): its output, trimmed. */
export async function serverDatabaseSql(server, text) {
  const { stdout } = server.database
    ? await promisify(execFile)('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', server.database, '-c', text])
    : await promisify(execFile)('sqlite3', ['-cmd', '.timeout 5000', path.join(server.dataDir, 'partyline.db'), text]);
  return stdout.trim();
}

/**
 * SQL that counts two matches of watch id in each of the two 5-minute buckets before bucket,
 * as if posts had come then (a spike's past): in its buckets and their UTC days (migration
 * 064), as the matcher counts them. For serverDatabaseSql.
 */
export function twoEachBefore(id, bucket) {
  return [bucket - 2, bucket - 1].map((b) =>
    `INSERT INTO watch_buckets (watch_id, bucket, count) VALUES (${id}, ${b}, 2); ` +
    `INSERT INTO watch_days (watch_id, day, count) VALUES (${id}, ${Math.floor(b / 288)}, 2) ` +
    'ON CONFLICT (watch_id, day) DO UPDATE SET count = watch_days.count + excluded.count;').join(' ');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL runs: with PARTYLINE_TEST_DATABASE set to a server URL (make test-api-pg), every
 * server (and every CLI call on its data) gets a database of its own, made here with psql and
 * dropped when the server stops. Without it, servers use SQLite in their data folder.
 */
const pgServer = process.env.PARTYLINE_TEST_DATABASE || '';
let dbCounter = 0;

async function psql(url, sql) {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], (err, out, stderr) =>
      (err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve(out.trim())));
  });
}

/** Runs sql on the test PostgreSQL's maintenance database (as its superuser); its output
 * (unaligned, tuples only) as a string. */
export async function serverSql(sql) {
  return psql(pgServer, sql);
}

/** A fresh, empty database URL on the test PostgreSQL, or '' when the tests run on SQLite.
 *  fromTemplate: a copy of the suite's template instead (make test-api-pg makes it: migrated,
 *  with what a first start adds, the everyone channel), so that a server starts without
 *  running every migration again (~0.5 s a server); what startServer uses. */
export async function makeDatabase(fromTemplate = false) {
  if (!pgServer) return '';
  const name = `partyline_api_${process.pid}_${++dbCounter}_${randomBytes(3).toString('hex')}`;
  const template = fromTemplate ? process.env.PARTYLINE_TEST_TEMPLATE : '';
  await psql(pgServer, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const u = new URL(pgServer);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops a database made by makeDatabase (no-op for ''). */
export async function dropDatabase(url) {
  if (!url) return;
  const name = new URL(url).pathname.slice(1);
  await psql(pgServer, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
const LOG_CAP = 256 * 1024;

/** The metrics_token every test server gets (unless opts.env sets another): read /metrics
 * with raw(url, '/metrics', {token: METRICS_TOKEN}). */
export const METRICS_TOKEN = 'partyline-test-metrics-token';

/**
 * Starts `partyline serve` on a free port with a fresh data folder.
 * opts.env: extra environment (config settings are PARTYLINE_* variables; null drops one).
 * opts.dataDir: an existing data folder to serve (left in place afterwards).
 * opts.database: an existing database URL to serve (PostgreSQL runs; left in place).
 * opts.sqlite: serve SQLite in the data folder even on PostgreSQL runs (migrate.test.mjs).
 * Resolves once GET /health answers 200 "OK" (Mastodon's word, in its case: Mastodon.py's health
 * check compares it); rejects with the server's stderr otherwise.
 * Returns {url, port, dataDir, logs(), stop()}; stop() sends SIGTERM, waits, asserts the
 * exit code is 0 (graceful shutdown) and removes the data folder.
 */
export async function startServer(opts = {}) {
  const bin = binaryPath();
  if (!existsSync(bin)) {
    throw new Error(
      `partyline binary not found at ${bin}: build it with \`make\` in ${repoRoot} ` +
        `(or point PARTYLINE_BIN at it) before running the API tests`,
    );
  }
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(bin, opts);
    } catch (e) {
      lastErr = e;
      // Only a lost race for the port is worth another try.
      if (!/address already in use|EADDRINUSE/i.test(String(e?.message))) throw e;
    }
  }
  throw lastErr;
}

async function startOnce(bin, opts) {
  // opts.port: a given port (a server started again where its clients expect it)
  const port = opts.port ?? (await freePort());
  // opts.dataDir: serve an existing data folder (kept afterwards); else a fresh temporary one.
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'partyline-api-')));
  // opts.database: an existing database (kept); else, on PostgreSQL runs, a fresh one.
  const database = opts.database ?? (opts.sqlite ? '' : await makeDatabase(true));
  const removeData = async () => {
    if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    if (!opts.database) await dropDatabase(database);
  };
  const url = `http://127.0.0.1:${port}`;
  // Only the settings the test file asks for: PARTYLINE_* from the caller's shell are dropped.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
  env.PARTYLINE_METRICS_TOKEN = METRICS_TOKEN; // /metrics is off without one
  // Every test registers its apps from 127.0.0.1: the per-address limit of app registrations
  // is off unless a test asks for it (ratelimit.test.mjs does).
  env.PARTYLINE_RATE_LIMIT_APPS = '0';
  // The tests were written for Mastodon's default audience, public; the company's own default
  // (company) is tested where a test asks for it: opts.env {PARTYLINE_DEFAULT_VISIBILITY: null}
  // serves the shipped default (a null drops a variable).
  env.PARTYLINE_DEFAULT_VISIBILITY = 'public';
  // argon2id at its shipped cost (64 MiB) took most of the suite's CPU (~0.25 s a sign-up or
  // sign-in): the tests hash with 8 KiB, and those about the cost itself (signin.test.mjs
  // timing, fairness.test.mjs) ask for the default with {PARTYLINE_PASSWORD_HASH_MEMORY: null}.
  env.PARTYLINE_PASSWORD_HASH_MEMORY = '8';
  Object.assign(env, opts.env ?? {});
  for (const [k, v] of Object.entries(env)) if (v === null || v === undefined) delete env[k];
  if (database) env.PARTYLINE_DATABASE = database;
  const child = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  // set once this server says it listens: only then is a /health answer on the port its own
  // (with the server still starting, another test file's server that took the same port in
  // between — freePort's port is free only when asked — would answer, and this one would then
  // fail to bind, unseen: the tests talked to a stranger until it stopped, "fetch failed")
  let listening = false;
  child.stderr.setEncoding('utf8');
  child.stdout.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-LOG_CAP);
    listening ||= stderr.includes('event=listening');
  });
  child.stdout.on('data', (d) => {
    stdout = (stdout + d).slice(-LOG_CAP);
  });
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { code: null, signal: null, error: err };
      resolve(exited);
    });
  });

  const describeEnv = Object.entries(opts.env ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const fail = async (why) => {
    if (!exited) {
      child.kill('SIGKILL');
      await exitPromise;
    }
    await removeData();
    throw new Error(
      `partyline did not start (${why}) [${bin} serve --listen 127.0.0.1:${port}` +
        `${describeEnv ? ' with ' + describeEnv : ''}]\n--- stderr ---\n${stderr}` +
        `${stdout ? '\n--- stdout ---\n' + stdout : ''}`,
    );
  };

  const deadline = Date.now() + 10_000;
  let lastSeen = 'no answer';
  for (;;) {
    if (exited) {
      await fail(
        exited.error
          ? `spawn failed: ${exited.error.message}`
          : `exited early with code ${exited.code}${exited.signal ? ' signal ' + exited.signal : ''}`,
      );
    }
    if (!listening) {
      lastSeen = 'the server has not said event=listening';
    } else {
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
        const body = (await res.text()).trim();
        if (res.status === 200 && body === 'OK') break;
        lastSeen = `GET /health answered ${res.status} ${JSON.stringify(body.slice(0, 200))}`;
      } catch (e) {
        lastSeen = `GET /health failed: ${e.cause?.code ?? e.message}`;
      }
    }
    if (Date.now() > deadline) await fail(`no 200 "OK" from /health within 10 s; last: ${lastSeen}`);
    await sleep(50);
  }

  let stopped = false;
  return {
    url,
    port,
    /** The server's process id (to read /proc/<pid>/status). */
    pid: child.pid,
    dataDir,
    database,
    /** The environment a CLI call on this server's data needs (its database, if any). */
    // and the tests' password cost, as the server's (above): an account the command line makes
    // hashes, and is then verified at each sign-in, with 8 KiB instead of 64 MiB
    cliEnv: { ...(database ? { PARTYLINE_DATABASE: database } : {}), PARTYLINE_PASSWORD_HASH_MEMORY: '8' },
    env: opts.env ?? {},
    logs: () => stderr,
    /** Kills the server with SIGKILL (no shutdown at all) and waits for it; its data stays. */
    async crash() {
      stopped = true;
      if (!exited) child.kill('SIGKILL');
      await exitPromise;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!exited) child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((r) => {
        timer = setTimeout(() => r('timeout'), 10_000);
      });
      const result = await Promise.race([exitPromise, timeout]);
      clearTimeout(timer);
      if (process.env.PARTYLINE_TEST_LOGS) process.stderr.write(`--- partyline ${url} stderr ---\n${stderr}\n`);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        await exitPromise;
        await removeData();
        throw new Error(`partyline at ${url} did not exit within 10 s of SIGTERM\n--- stderr ---\n${stderr}`);
      }
      await removeData();
      assert.equal(
        result.code,
        0,
        `partyline at ${url} should exit 0 after SIGTERM (graceful shutdown), got code ` +
          `${result.code} signal ${result.signal}\n--- stderr ---\n${stderr}`,
      );
    },
  };
}

/** Starts several servers at once (each {env}); resolves to them in the same order. */
export async function startServers(list) {
  const results = await Promise.allSettled(list.map((o) => startServer(o)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(results.filter((r) => r.status === 'fulfilled').map((r) => r.value.stop()));
    throw failed.reason;
  }
  return results.map((r) => r.value);
}

// ---------------------------------------------------------------------------------------
// Clients and accounts

export const PASSWORD = 'correct horse battery';
export const ALL_SCOPES = 'read write follow push';

let nameCounter = 0;
/** A username unique within this process (letters, digits, underscore; <= 30 chars). */
export function uniqueName(prefix = 'u') {
  nameCounter += 1;
  const tail = `${process.pid.toString(36)}${nameCounter.toString(36)}`;
  return `${prefix.slice(0, 30 - tail.length - 1)}_${tail}`.slice(0, 30);
}

export function restClient(url, accessToken) {
  return createRestAPIClient(accessToken ? { url, accessToken } : { url });
}

export function oauthClient(url) {
  return createOAuthAPIClient({ url });
}

/** POST /api/v1/apps. */
export async function createApp(url, { scopes = ALL_SCOPES, redirectUris = 'urn:ietf:wg:oauth:2.0:oob', name } = {}) {
  const app = await restClient(url).v1.apps.create({
    clientName: name ?? `partyline tests ${uniqueName('app')}`,
    redirectUris,
    scopes,
    website: 'https://example.com/partyline-tests',
  });
  return app;
}

/** client_credentials grant: an app-level token. */
export async function appToken(url, app, scope = ALL_SCOPES) {
  const tok = await oauthClient(url).token.create({
    grantType: 'client_credentials',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: 'urn:ietf:wg:oauth:2.0:oob',
    scope,
  });
  return tok;
}

/**
 * password grant. As in Mastodon, `username` carries the login (the e-mail address).
 */
export async function passwordLogin(url, app, login, password = PASSWORD, scope = ALL_SCOPES) {
  const tok = await oauthClient(url).token.create({
    grantType: 'password',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: 'urn:ietf:wg:oauth:2.0:oob',
    username: login,
    password,
    scope,
  });
  return tok;
}

/**
 * Registers an account the way an app does: create an app, get an app token, POST
 * /api/v1/accounts with it. Returns {client, token, account, app, username, email, password}.
 * opts.email overrides the e-mail; opts.verify=false skips verify_credentials (account null).
 */
export async function registerUser(url, username, opts = {}) {
  const app = opts.app ?? (await createApp(url));
  const appTok = opts.appToken ?? (await appToken(url, app));
  const email = opts.email ?? `${username}@example.com`;
  const rest = restClient(url, appTok.accessToken);
  const tok = await rest.v1.accounts.create({
    username,
    email,
    password: opts.password ?? PASSWORD,
    agreement: true,
    locale: 'en',
  });
  assert.ok(tok?.accessToken, `POST /api/v1/accounts should return a Token with access_token for ${username}`);
  const client = restClient(url, tok.accessToken);
  const account = opts.verify === false ? null : await client.v1.accounts.verifyCredentials();
  return { client, token: tok.accessToken, account, app, username, email, password: opts.password ?? PASSWORD };
}

/** Registers several users (in order, sequentially: ids and creation times follow). */
export async function registerUsers(url, prefixes) {
  const out = [];
  for (const p of prefixes) out.push(await registerUser(url, uniqueName(p)));
  return out;
}

// ---------------------------------------------------------------------------------------
// Assertions

/**
 * Awaits promise and asserts it rejected with MastoHttpError of the given status (a number
 * or an array of acceptable ones), whose
 * error message (the JSON "error" field) is non-empty and matches messageRe (if given).
 */
export async function expectHttpError(promise, status, messageRe, what = '') {
  let result;
  try {
    result = await promise;
  } catch (e) {
    if (!(e instanceof MastoHttpError)) {
      throw new assert.AssertionError({
        message: `${what ? what + ': ' : ''}expected HTTP ${status} with a JSON {"error": ...} body, got ${e?.name}: ${e?.message}`,
      });
    }
    const allowed = Array.isArray(status) ? status : [status];
    assert.ok(
      allowed.includes(e.statusCode),
      `${what ? what + ': ' : ''}HTTP status should be ${allowed.join(' or ')}, got ${e.statusCode} (error: ${JSON.stringify(e.message)})`,
    );
    assert.equal(typeof e.message, 'string', `${what}: the body should have a string "error"`);
    assert.ok(e.message.length > 0, `${what}: the "error" message should not be empty`);
    if (messageRe) {
      assert.match(e.message, messageRe, `${what ? what + ': ' : ''}the error message should say what was wrong`);
    }
    return e;
  }
  throw new assert.AssertionError({
    message: `${what ? what + ': ' : ''}expected HTTP ${status}, but the call succeeded: ${JSON.stringify(result)?.slice(0, 300)}`,
  });
}

/** fetch() against the server; returns {status, headers, text, json}. */
export async function raw(url, pathname, { method = 'GET', token, headers = {}, body, form, json, redirect = 'follow' } = {}) {
  const h = new Headers(headers);
  if (token) h.set('Authorization', `Bearer ${token}`);
  let payload = body;
  if (form) {
    payload = new URLSearchParams(form).toString();
    h.set('Content-Type', 'application/x-www-form-urlencoded');
  } else if (json !== undefined) {
    payload = JSON.stringify(json);
    h.set('Content-Type', 'application/json');
  }
  const res = await fetch(new URL(pathname, url), { method, headers: h, body: payload, redirect });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

/** Parses an RFC 8288 Link header into {next, prev, ...} URLs. */
export function parseLink(header) {
  const out = {};
  if (!header) return out;
  for (const part of header.split(/,\s*(?=<)/)) {
    const m = part.match(/<([^>]+)>\s*;\s*rel="?([^";]+)"?/);
    if (m) out[m[2]] = m[1];
  }
  return out;
}

/** Compares two Mastodon ids (strings of digits): by length, then lexically (docs). */
export function cmpId(a, b) {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Asserts the ids are strictly decreasing (newest first) and unique. */
export function assertNewestFirst(ids, what = 'list') {
  for (let i = 1; i < ids.length; i++) {
    assert.equal(cmpId(ids[i - 1], ids[i]), 1, `${what} should be newest first without duplicates: ${ids[i - 1]} then ${ids[i]}`);
  }
}

/** Walks a masto paginator page by page; returns all items. Fails past maxPages. */
export async function collectPages(paginator, maxPages = 50) {
  const items = [];
  let pages = 0;
  for await (const page of paginator.values()) {
    pages += 1;
    assert.ok(pages <= maxPages, `pagination did not end within ${maxPages} pages (Link next loops?)`);
    assert.ok(Array.isArray(page), 'each page should be an array');
    if (page.length === 0) break;
    items.push(...page);
  }
  return items;
}

// ---------------------------------------------------------------------------------------
// OAuth helpers (PKCE, authorization form)

export function pkcePair() {
  const verifier = randomBytes(48).toString('base64url'); // 64 chars, within 43..128
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** Extracts the first <form> of an HTML page: {action, method, inputs: [{name, type, value}]}. */
export function parseForm(html) {
  const fm = html.match(/<form\b([^>]*)>([\s\S]*?)<\/form>/i);
  if (!fm) return null;
  const attr = (s, name) => {
    const m = s.match(new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
    return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
  };
  const inputs = [];
  for (const im of fm[2].matchAll(/<(input|button|textarea|select)\b([^>]*)>/gi)) {
    const name = attr(im[2], 'name');
    if (!name) continue;
    inputs.push({ tag: im[1].toLowerCase(), name, type: (attr(im[2], 'type') ?? 'text').toLowerCase(), value: attr(im[2], 'value') ?? '' });
  }
  return { action: attr(fm[1], 'action'), method: (attr(fm[1], 'method') ?? 'get').toLowerCase(), inputs };
}

export function decodeEntities(s) {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** The query of GET /oauth/authorize. */
export function authorizeParams({ app, redirectUri, scope = 'read write', pkce, state }) {
  const p = {
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope,
  };
  if (pkce) {
    p.code_challenge = pkce.challenge;
    p.code_challenge_method = 'S256';
  }
  if (state) p.state = state;
  return p;
}

/**
 * Opens the authorization form and submits it with the given credentials.
 * Returns {page, form, response} where response is the raw answer to the POST
 * (redirects are not followed).
 */
export async function submitAuthorizeForm(url, params, { username, email, password }) {
  const qs = new URLSearchParams(params).toString();
  const page = await raw(url, `/oauth/authorize?${qs}`);
  const form = parseForm(page.text);
  assert.ok(form, `GET /oauth/authorize should show an HTML <form>; got ${page.status}: ${page.text.slice(0, 300)}`);
  const fields = new URLSearchParams();
  // Hidden fields first (CSRF tokens and the OAuth parameters the form carries) ...
  const have = new Set();
  for (const i of form.inputs) {
    if (i.type === 'hidden') {
      fields.set(i.name, i.value);
      have.add(i.name);
    }
  }
  // ... the OAuth parameters themselves, as the brief for the form says they are sent ...
  for (const [k, v] of Object.entries(params)) if (!have.has(k)) fields.set(k, v);
  // ... and the credentials.
  const names = new Set(form.inputs.map((i) => i.name));
  fields.set('username', username);
  if (names.has('email')) fields.set('email', email ?? username);
  fields.set('password', password);
  const action = form.action ? new URL(decodeEntities(form.action), new URL('/oauth/authorize', url)) : new URL('/oauth/authorize', url);
  const res = await fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  const text = await res.text();
  return { page, form, fields, response: { status: res.status, headers: res.headers, text } };
}

/**
 * Candidate authorization codes shown on an out-of-band page, most likely first:
 * <code> elements, then readonly/text input values, then long token-like strings that are
 * not values we sent ourselves.
 */
export function codeCandidates(html, exclude = []) {
  const ex = new Set(exclude);
  const out = [];
  const add = (s) => {
    const v = decodeEntities(String(s)).trim();
    if (v && /^[A-Za-z0-9_\-.~]{8,}$/.test(v) && !ex.has(v) && !out.includes(v)) out.push(v);
  };
  for (const m of html.matchAll(/<code\b[^>]*>([\s\S]*?)<\/code>/gi)) add(m[1].replace(/<[^>]+>/g, ''));
  for (const m of html.matchAll(/<input\b[^>]*\bvalue\s*=\s*"([^"]*)"[^>]*>/gi)) add(m[1]);
  for (const m of html.matchAll(/(?:id|class|name)\s*=\s*"[^"]*code[^"]*"[^>]*>\s*([^<\s]+)\s*</gi)) add(m[1]);
  for (const m of html.matchAll(/[A-Za-z0-9_\-]{20,}/g)) add(m[0]);
  return out;
}

/** Exchanges an authorization code (with an optional PKCE verifier) for a token. */
export async function exchangeCode(url, app, { code, redirectUri, verifier, scope }) {
  const params = {
    grantType: 'authorization_code',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri,
    code,
  };
  if (scope) params.scope = scope;
  if (verifier) params.codeVerifier = verifier;
  return oauthClient(url).token.create(params);
}

// ---------------------------------------------------------------------------------------
// Misc

/** A small seeded PRNG (mulberry32). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs fn over items with at most `limit` in flight. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Strips tags and decodes entities of server HTML (for comparing text). */
export function htmlText(html) {
  return decodeEntities(String(html ?? '').replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p>/gi, '\n\n').replace(/<[^>]+>/g, ''));
}

/** A subscription's events as they come, with a deadline-bound wait for one that matches. */
export function collectEvents(subscription, deadline = 10000) {
  const events = [];
  let wake = () => {};
  let ended = null;
  (async () => {
    try {
      for await (const e of subscription) {
        events.push(e);
        wake();
      }
      ended = 'ended';
    } catch (err) {
      ended = err;
    }
    wake();
  })();
  return {
    events,
    async waitFor(pred, what, ms = deadline) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (ended) assert.fail(`stream ended (${ended}) before ${what}`);
        const left = end - Date.now();
        if (left <= 0) assert.fail(`no ${what} within ${ms} ms; got ${JSON.stringify(events.map((e) => [e.event, e.payload?.id ?? e.payload]))}`);
        await new Promise((r) => {
          wake = r;
          setTimeout(r, Math.min(left, 200));
        });
      }
    },
  };
}
