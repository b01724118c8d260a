// Archives and exports (issue 14, "Export"; docs/api.md "Archives and exports"; the rules are
// src/app/exports.h): a person asks for their archive, the background builds a zip into the
// encrypted file store, and only they can list it or download it — the zip holds their own
// posts (a private one and a direct one too) and their files byte for byte, and of others' posts
// only the addresses they liked or bookmarked. An administrator's compliance export holds exactly
// what its query matches, with a manifest and a SHA256SUMS that `sha256sum -c` accepts; members
// get 403. Asking, finishing and downloading are in the audit log. The zips are read back with
// Info-ZIP's unzip (another implementation than libarchive, which wrote them). Both databases.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  ALL_SCOPES, adminCli, createApp, dropDatabase, makeDatabase, passwordLogin, raw, registerUsers, startServer,
  uniqueName
} from './harness.mjs';

const run = promisify(execFile);
const ADMIN_SCOPES = `${ALL_SCOPES} admin:read admin:write`;
const ARCHIVES = '/api/v1/partyline/archives';
const EXPORTS = '/api/v1/partyline/admin/exports';

let srv;
let url;
let admin;
let tmp;

function cli(args) {
  return adminCli(srv, args);
}

async function call(who, method, p, { json, body, status = 200 } = {}) {
  const r = await raw(url, p, { method, token: who?.token ?? who, json, body });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r.json;
}

/** Polls list (a function answering the rows) until the row id is ready; fails after 15 s. */
async function ready(list, id) {
  for (let i = 0; i < 150; i++) {
    const row = (await list()).find((x) => x.id === id);
    assert.ok(row, `row ${id} is listed`);
    assert.notEqual(row.state, 'failed', row.error);
    if (row.state === 'ready') return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`row ${id} never became ready`);
}

/** Downloads into a fresh folder and unzips it there (unzip -t first: the whole zip checks). */
async function fetchZip(p, token) {
  const r = await fetch(new URL(p, url), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal(r.headers.get('content-type'), 'application/zip');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename=".+\.zip"$/);
  return unzipBytes(Buffer.from(await r.arrayBuffer()));
}

async function unzipBytes(bytes) {
  const dir = await mkdtemp(path.join(tmp, 'zip-'));
  const file = path.join(dir, 'a.zip');
  await writeFile(file, bytes);
  return unzipFile(file, dir);
}

async function unzipFile(file, into) {
  const dir = into ?? (await mkdtemp(path.join(tmp, 'zip-')));
  await run('unzip', ['-tq', file]);
  const out = path.join(dir, 'x');
  await run('unzip', ['-q', file, '-d', out]);
  return out;
}

async function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function auditRows(query) {
  return call(admin, 'GET', `/api/v1/partyline/admin/audit?limit=200&${query}`);
}

async function upload(who, bytes, name) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return call(who, 'POST', '/api/v2/media', { body: form });
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'partyline-exports-'));
  srv = await startServer();
  url = srv.url;
  const username = uniqueName('adm');
  const made = await cli(['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const app = await createApp(url, { scopes: ADMIN_SCOPES });
  const tok = await passwordLogin(url, app, username, 'long enough pw', ADMIN_SCOPES);
  admin = { token: tok.accessToken, username };
});

after(async () => {
  await srv?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('archives and exports', () => {
  test("a person's archive: their posts (private and direct too) and files, others' only as addresses; theirs alone", async () => {
    const [ann, bob] = await registerUsers(url, ['ar_ann', 'ar_bob']);
    const bobSecret = `bob private ${uniqueName('s')}`;
    const bobPost = await call(bob, 'POST', '/api/v1/statuses', { json: { status: bobSecret, visibility: 'private' } });
    await call(ann, 'POST', `/api/v1/accounts/${bob.account.id}/follow`);
    await call(ann, 'POST', `/api/v1/statuses/${bobPost.id}/favourite`);
    await call(ann, 'POST', `/api/v1/statuses/${bobPost.id}/bookmark`);
    const bobPublic = await call(bob, 'POST', '/api/v1/statuses', { json: { status: `bob public ${uniqueName('q')}` } });
    const boost = await call(ann, 'POST', `/api/v1/statuses/${bobPublic.id}/reblog`);

    const bytes = randomBytes(150 * 1024); // three chunks of the store
    const file = await upload(ann, bytes, 'field notes.bin');
    const annPublic = await call(ann, 'POST', '/api/v1/statuses', { json: { status: 'ann public with a file', media_ids: [file.id] } });
    const annPrivate = await call(ann, 'POST', '/api/v1/statuses', { json: { status: `ann private ${uniqueName('p')}`, visibility: 'private' } });
    const annDirect = await call(ann, 'POST', '/api/v1/statuses', { json: { status: `@${bob.username} ann direct`, visibility: 'direct' } });

    const asked = await call(ann, 'POST', ARCHIVES, { status: 202 });
    assert.ok(['waiting', 'building', 'ready'].includes(asked.state));
    // one while one is being made, and then one every archive_every_days
    const again = await raw(url, ARCHIVES, { method: 'POST', token: ann.token });
    assert.equal(again.status, 429);
    assert.match(again.json.error, /being made|once every/);

    const row = await ready(() => call(ann, 'GET', ARCHIVES), asked.id);
    assert.ok(row.size > bytes.length / 2);
    assert.equal(row.counts.posts, 4, 'three posts and a boost');
    assert.equal(row.counts.direct, 1);
    assert.equal(row.counts.files, 1);
    const later = await raw(url, ARCHIVES, { method: 'POST', token: ann.token });
    assert.equal(later.status, 429);
    assert.match(later.json.error, /once every 7 days/);

    // nobody else lists it or downloads it: by token, without one, or with the address altered
    assert.deepEqual(await call(bob, 'GET', ARCHIVES), []);
    await call(bob, 'GET', `${ARCHIVES}/${row.id}/download`, { status: 404 });
    await call(null, 'GET', `${ARCHIVES}/${row.id}/download`, { status: 404 });
    const signed = new URL(row.url);
    const forged = new URL(signed);
    forged.searchParams.set('s', `${signed.searchParams.get('s').slice(0, -1)}${signed.searchParams.get('s').endsWith('0') ? '1' : '0'}`);
    await call(null, 'GET', forged.pathname + forged.search, { status: 404 });
    const bobAsks = await call(bob, 'POST', ARCHIVES, { status: 202 });
    await call(ann, 'GET', `${ARCHIVES}/${bobAsks.id}/download`, { status: 404 });

    // the owner's signed address needs no token (a link in the web client)
    const dir = await fetchZip(signed.pathname + signed.search);
    const names = await listFiles(dir);
    for (const n of ['actor.json', 'outbox.json', 'likes.json', 'bookmarks.json']) assert.ok(names.includes(n), `${n} in ${names}`);
    const actor = JSON.parse(await readFile(path.join(dir, 'actor.json'), 'utf8'));
    assert.equal(actor.type, 'Person');
    assert.equal(actor.preferredUsername, ann.username);
    assert.equal(actor.outbox, 'outbox.json');
    const outbox = JSON.parse(await readFile(path.join(dir, 'outbox.json'), 'utf8'));
    assert.equal(outbox.type, 'OrderedCollection');
    assert.equal(outbox.totalItems, 4);
    const announce = outbox.orderedItems.find((it) => it.type === 'Announce');
    assert.equal(announce.id, `${url}/users/${ann.username}/statuses/${boost.id}/activity`);
    assert.equal(announce.object, `${url}/users/${bob.username}/statuses/${bobPublic.id}`, 'a boost names what it boosts, no more');
    assert.ok(!JSON.stringify(outbox).includes(bobPublic.content), "not the boosted post's text");
    const notes = Object.fromEntries(outbox.orderedItems.filter((it) => it.type === 'Create').map((it) => [it.object.id.split('/').pop(), it]));
    for (const p of [annPublic, annPrivate, annDirect]) {
      assert.equal(notes[p.id].type, 'Create');
      assert.equal(notes[p.id].object.type, 'Note');
      assert.equal(notes[p.id].object.content, p.content);
    }
    assert.equal(notes[annPrivate.id]['partyline:visibility'], 'private');
    assert.deepEqual(notes[annDirect.id].to, [`${url}/users/${bob.username}`]);
    const att = notes[annPublic.id].object.attachment;
    assert.equal(att.length, 1);
    assert.deepEqual(await readFile(path.join(dir, att[0].url)), bytes, 'the file, byte for byte');
    const likes = JSON.parse(await readFile(path.join(dir, 'likes.json'), 'utf8'));
    assert.deepEqual(likes.orderedItems, [`${url}/users/${bob.username}/statuses/${bobPost.id}`]);
    const bookmarks = JSON.parse(await readFile(path.join(dir, 'bookmarks.json'), 'utf8'));
    assert.deepEqual(bookmarks.orderedItems, likes.orderedItems);
    for (const n of names) assert.ok(!(await readFile(path.join(dir, n))).includes(bobSecret), `no text of bob's in ${n}`);

    // by token too; each download is recorded
    await fetchZip(`${ARCHIVES}/${row.id}/download`, ann.token);
    const rows = await auditRows(`target=${row.id}`);
    const actions = rows.map((r) => r.action).sort();
    assert.deepEqual(actions, ['archive.download', 'archive.download', 'archive.ready', 'archive.request']);
    for (const r of rows) assert.equal(r.actor_id, ann.account.id);
    const readyRow = rows.find((r) => r.action === 'archive.ready');
    assert.equal(readyRow.detail.posts, 4);
    assert.equal(readyRow.detail.files, 1);
    assert.ok(!JSON.stringify(rows).includes('ann private'), 'no post text in the audit log');
  });

  test('a compliance export holds exactly what its query matches, with a manifest and checksums that verify; administrators only', async () => {
    const [cat, dan] = await registerUsers(url, ['ce_cat', 'ce_dan']);
    const word = uniqueName('merger');
    const since = new Date(Date.now() - 1000).toISOString();
    const bytes = randomBytes(70 * 1024);
    const file = await upload(cat, bytes, 'deck.bin');
    const m1 = await call(cat, 'POST', '/api/v1/statuses', { json: { status: `the ${word} plan`, visibility: 'private', media_ids: [file.id] } });
    const m2 = await call(cat, 'POST', '/api/v1/statuses', { json: { status: `@${dan.username} about the ${word.toUpperCase()}`, visibility: 'direct' } });
    await call(cat, 'POST', '/api/v1/statuses', { json: { status: 'lunch?' } }); // cat, not the word
    await call(dan, 'POST', '/api/v1/statuses', { json: { status: `the ${word} too` } }); // the word, not cat
    const until = new Date(Date.now() + 1000).toISOString();

    // members: 403 whatever they ask; a bad query: 422 saying what
    const member = await raw(url, EXPORTS, { method: 'POST', token: cat.token, json: { since, until } });
    assert.equal(member.status, 403);
    await call(cat, 'GET', EXPORTS, { status: 403 });
    const noRange = await raw(url, EXPORTS, { method: 'POST', token: admin.token, json: { usernames: [cat.username] } });
    assert.equal(noRange.status, 422);
    assert.match(noRange.json.error, /since and until/);
    const nobody = await raw(url, EXPORTS, { method: 'POST', token: admin.token, json: { since, until, usernames: ['no_such_person'] } });
    assert.equal(nobody.status, 422);
    assert.match(nobody.json.error, /No such person: no_such_person/);

    const asked = await call(admin, 'POST', EXPORTS, { json: { since, until, usernames: [cat.username], words: word }, status: 202 });
    assert.equal(asked.query.usernames, cat.username);
    const row = await ready(() => call(admin, 'GET', EXPORTS), asked.id);
    assert.deepEqual(row.counts, { posts: 1, direct: 1, files: 1 });
    await call(cat, 'GET', `${EXPORTS}/${row.id}`, { status: 403 });
    await call(cat, 'GET', `${EXPORTS}/${row.id}/download`, { status: 403 });

    const dir = await fetchZip(`${EXPORTS}/${row.id}/download`, admin.token);
    await run('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: dir });
    const sums = (await readFile(path.join(dir, 'SHA256SUMS'), 'utf8')).trim().split('\n').map((l) => l.slice(66)).sort();
    assert.deepEqual(sums, (await listFiles(dir)).filter((n) => n !== 'SHA256SUMS'), 'a checksum for every other entry');
    const lines = (await readFile(path.join(dir, 'statuses.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id), [m1.id, m2.id], 'exactly the matches, oldest first');
    assert.equal(lines[0].text, `the ${word} plan`);
    assert.equal(lines[1].visibility, 'direct');
    assert.deepEqual(lines[1].mentions, [dan.username]);
    assert.deepEqual(await readFile(path.join(dir, lines[0].media[0].path)), bytes);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.requested_by.username, admin.username);
    assert.deepEqual(manifest.query.usernames, [cat.username]);
    assert.equal(manifest.query.words, word);
    assert.deepEqual(manifest.counts, { posts: 1, direct: 1, files: 1 });

    const rows = await auditRows(`target=${row.id}`);
    const byAction = Object.fromEntries(rows.map((r) => [r.action, r]));
    assert.deepEqual(Object.keys(byAction).sort(), ['export.create', 'export.download', 'export.ready']);
    assert.equal(byAction['export.create'].detail.people, 1);
    assert.equal(byAction['export.create'].detail.words, 1);
    assert.equal(byAction['export.ready'].detail.direct, 1);
    assert.ok(!JSON.stringify(rows).includes(word), 'the words asked are not in the audit log');

    // the command line writes the same export to a file, and records it
    const out = path.join(tmp, `${uniqueName('cli')}.zip`);
    const r = await cli(['export', '--since', since, '--until', until, '--username', cat.username, '--words', word, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /exported 1 posts, 1 direct messages and 1 files/);
    const cliDir = await unzipFile(out);
    await run('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: cliDir });
    assert.equal(JSON.parse(await readFile(path.join(cliDir, 'manifest.json'), 'utf8')).requested_by, 'command line');
    const cliRow = (await auditRows('action=export.create')).find((x) => x.detail.via === 'command line');
    assert.ok(cliRow, 'the command line export is recorded');
    assert.equal(cliRow.actor_id, null);

    // a channel: only the posts shared into it, whoever wrote them
    const ch = await call(dan, 'POST', '/api/v1/partyline/channels', { json: { name: uniqueName('legal') } });
    const inCh = await call(dan, 'POST', '/api/v1/statuses', { json: { status: 'for the channel', channel_id: ch.id } });
    await call(dan, 'POST', '/api/v1/statuses', { json: { status: 'not for the channel' } });
    const chOut = path.join(tmp, `${uniqueName('ch')}.zip`);
    const byChannel = await cli(['export', '--since', since, '--until', new Date(Date.now() + 1000).toISOString(),
      '--channel', ch.name, '--out', chOut]);
    assert.equal(byChannel.code, 0, byChannel.stderr);
    const chDir = await unzipFile(chOut);
    const chLines = (await readFile(path.join(chDir, 'statuses.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(chLines.map((l) => l.id), [inCh.id]);
    assert.equal(chLines[0].channel.id, ch.id);
    // an unknown name is refused, and nothing is left behind
    const none = path.join(tmp, `${uniqueName('none')}.zip`);
    const refused = await cli(['export', '--since', since, '--until', until, '--channel', 'no_such_channel', '--out', none]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /No such channel: no_such_channel/);
    await assert.rejects(readFile(none), { code: 'ENOENT' });
  });
});

describe('two nodes on one PostgreSQL, files in the database', { skip: !process.env.PARTYLINE_TEST_DATABASE && 'needs PostgreSQL' }, () => {
  let db;
  let a;
  let b;
  before(async () => {
    db = await makeDatabase();
    const key = path.join(tmp, 'media.key');
    await writeFile(key, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const env = { PARTYLINE_MEDIA_STORE: 'database', PARTYLINE_MEDIA_MASTER_KEY: key };
    a = await startServer({ database: db, env: { ...env, PARTYLINE_NODE_ID: '1' } });
    b = await startServer({ database: db, env: { ...env, PARTYLINE_NODE_ID: '2' } });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    if (db) await dropDatabase(db);
  });

  test('an archive asked on one node downloads whole from the other', async () => {
    const [eve] = await registerUsers(a.url, ['nd_eve']);
    const bytes = randomBytes(100 * 1024);
    const form = new FormData();
    form.append('file', new Blob([bytes]), 'data.bin');
    const up = await raw(a.url, '/api/v2/media', { method: 'POST', token: eve.token, body: form });
    assert.equal(up.status, 200, up.text);
    const post = await raw(a.url, '/api/v1/statuses', { method: 'POST', token: eve.token, json: { status: 'from node a', visibility: 'private', media_ids: [up.json.id] } });
    assert.equal(post.status, 200, post.text);
    const asked = await raw(a.url, ARCHIVES, { method: 'POST', token: eve.token });
    assert.equal(asked.status, 202, asked.text);
    const row = await ready(async () => (await raw(b.url, ARCHIVES, { token: eve.token })).json, asked.json.id);
    const signed = new URL(row.url);
    const got = await fetch(new URL(signed.pathname + signed.search, b.url));
    assert.equal(got.status, 200);
    const dir = await unzipBytes(Buffer.from(await got.arrayBuffer()));
    const outbox = JSON.parse(await readFile(path.join(dir, 'outbox.json'), 'utf8'));
    assert.equal(outbox.orderedItems[0].object.id.split('/').pop(), post.json.id);
    assert.deepEqual(await readFile(path.join(dir, outbox.orderedItems[0].object.attachment[0].url)), bytes);
  });
});
