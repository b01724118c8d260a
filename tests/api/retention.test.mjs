// Retention policies and legal holds (issue 14, "Retention and legal hold"; docs/api.md
// "Retention and legal holds"; the rules are src/app/retention.h): an administrator's policies
// (company, direct messages, a channel: the most specific wins), a person's own automatic
// deletion with Mastodon's keep rules, holds on an account or a channel that no policy passes,
// and `partyline admin retention run --now TIME`, which applies them as if it were TIME (how
// posts are made old here): what a run deletes goes with everything derived (home, notifications,
// search, the file), others' replies stay, and the run is one audit row. Runs on both databases.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ALL_SCOPES, adminCli, createApp, passwordLogin, raw, registerUsers, serverDatabaseSql, startServer, uniqueName
} from './harness.mjs';

const ADMIN_SCOPES = `${ALL_SCOPES} admin:read admin:write`;
const ADMIN = '/api/v1/partyline/admin';
const POLICIES = `${ADMIN}/retention/policies`;
const HOLDS = `${ADMIN}/holds`;
const OWN = '/api/v1/partyline/statuses_cleanup';
const CH = '/api/v1/partyline/channels';
const DAY = 86400000;

let srv;
let url;
let admin;

/** `partyline admin …` on the server's data: {code, stdout, stderr}. */
function cli(args) {
  return adminCli(srv, args);
}

/** A retention run as if it were `days` days from now. */
async function runAt(days) {
  const r = await cli(['retention', 'run', '--now', new Date(Date.now() + days * DAY).toISOString()]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

async function call(who, method, p, { json, body, status = 200 } = {}) {
  const r = await raw(url, p, { method, token: who?.token ?? who, json, body });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r.json;
}

/** Is the post there for who? (The server drops its copies within about a second of a run
 *  made by another process: asked until the answer is `present`, for at most 5 s.) */
async function settles(who, id, present) {
  const until = Date.now() + 5000;
  for (;;) {
    const r = await raw(url, `/api/v1/statuses/${id}`, { token: who.token });
    if ((r.status === 200) === present) return;
    assert.ok(Date.now() < until, `status ${id} should be ${present ? 'there' : 'gone'} (${r.status})`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** SQL on the server's database behind its back: its output's lines. */
const sql = async (text) => (await serverDatabaseSql(srv, text)).split('\n').filter(Boolean);
const sqlNumber = async (text) => Number((await sql(text))[0] ?? 0);

/** The rows of every table keyed by a post that still name one of ids, in one query. */
const DERIVED = ['timeline', 'notifications', 'favourites', 'bookmarks', 'status_pins', 'channel_pins',
  'status_mentions', 'status_tags', 'status_edits', 'polls', 'conversation_statuses', 'filter_statuses',
  'media_attachments'];
async function derivedLeft(ids) {
  const list = ids.join(',');
  const parts = DERIVED.map((t) => `SELECT '${t}', count(*) FROM ${t} WHERE status_id IN (${list})`);
  parts.push(`SELECT 'statuses', count(*) FROM statuses WHERE id IN (${list}) OR reblog_of_id IN (${list})`);
  const left = {};
  for (const line of await sql(parts.join(' UNION ALL '))) {
    const [t, n] = line.split('|');
    if (Number(n) || t === 'statuses') left[t] = Number(n);
  }
  return left;
}

const post = (who, json) => call(who, 'POST', '/api/v1/statuses', { json });

async function auditRows(action) {
  return call(admin, 'GET', `${ADMIN}/audit?limit=200&action=${action}`);
}

before(async () => {
  srv = await startServer({ env: { PARTYLINE_RETENTION_INTERVAL_MINUTES: '0' } });
  url = srv.url;
  const username = uniqueName('radm');
  const made = await cli(['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const app = await createApp(url, { scopes: ADMIN_SCOPES });
  const tok = await passwordLogin(url, app, username, 'long enough pw', ADMIN_SCOPES);
  admin = { token: tok.accessToken };
  admin.id = (await call(admin, 'GET', '/api/v1/accounts/verify_credentials')).id;
});

after(async () => {
  await srv?.stop();
});

describe('retention', () => {
  test('a person\'s own automatic deletion, then the company, direct and channel policies, and holds', async () => {
    const [dee, bo, ed, fay] = await registerUsers(url, ['r_dee', 'r_bo', 'r_ed', 'r_fay']);
    await call(bo, 'POST', `/api/v1/accounts/${dee.account.id}/follow`);
    const word = uniqueName('zanzibar');
    const authorOf = (s) => [dee, bo, ed, fay].find((u) => u.account.id === s.account.id);
    const there = async (list, present) => { for (const s of list) await settles(authorOf(s), s.id, present); };

    // dee deletes her own posts after a day, keeping pinned, self-bookmarked, self-favourited
    // posts and direct messages (Mastodon's defaults) but not files
    const own = await call(dee, 'PUT', OWN, { json: { enabled: true, min_status_age: 86400 } });
    assert.deepEqual(own, {
      enabled: true, min_status_age: 86400, keep_direct: true, keep_pinned: true, keep_polls: false,
      keep_media: false, keep_self_fav: true, keep_self_bookmark: true, min_favs: null, min_reblogs: null,
    });
    const plain = await post(dee, { status: `plain ${word}` });
    const pinned = await post(dee, { status: 'pinned' });
    await call(dee, 'POST', `/api/v1/statuses/${pinned.id}/pin`);
    const marked = await post(dee, { status: 'bookmarked' });
    await call(dee, 'POST', `/api/v1/statuses/${marked.id}/bookmark`);
    const faved = await post(dee, { status: 'favourited' });
    await call(dee, 'POST', `/api/v1/statuses/${faved.id}/favourite`);
    const dm = await post(dee, { status: `@${bo.username} between us`, visibility: 'direct' });
    const form = new FormData();
    form.append('file', new Blob(['minutes of the meeting']), 'minutes.txt');
    const file = await call(dee, 'POST', '/api/v2/media', { body: form });
    const withFile = await post(dee, { status: 'with a file', media_ids: [file.id] });
    const fileUrl = withFile.media_attachments[0].url;
    assert.equal((await fetch(fileUrl, { headers: { Authorization: `Bearer ${bo.token}` } })).status, 200);
    // others act on the plain post: a reply, a boost, a favourite (a notification for dee)
    const reply = await post(bo, { status: `@${dee.username} a reply`, in_reply_to_id: plain.id });
    const boost = await call(bo, 'POST', `/api/v1/statuses/${plain.id}/reblog`);
    await call(bo, 'POST', `/api/v1/statuses/${plain.id}/favourite`);
    // ed is held: his own automatic deletion does nothing
    await call(ed, 'PUT', OWN, { json: { enabled: true, min_status_age: 86400 } });
    const edPost = await post(ed, { status: 'evidence' });
    const edHold = await call(admin, 'POST', HOLDS, { json: { account_id: ed.account.id, reason: 'case 42' } });
    assert.equal(edHold.target_kind, 'account');
    assert.equal(edHold.released_at, null);

    const homeIds = async () => (await call(bo, 'GET', '/api/v1/timelines/home?limit=40')).map((s) => s.id);
    assert.ok((await homeIds()).includes(plain.id));
    const searched = async () => (await call(dee, 'GET', `/api/v2/search?type=statuses&q=${word}`)).statuses.map((s) => s.id);
    assert.deepEqual(await searched(), [plain.id]);
    const notes = async () => (await call(dee, 'GET', '/api/v1/notifications?limit=40')).filter((n) => n.status?.id === plain.id);
    assert.equal((await notes()).length, 2, 'the boost and the favourite of the plain post');

    // a day and a bit later: only dee's own policy applies
    const out = await runAt(2);
    assert.match(out, /deleted 3 posts \(company 0, direct 0, channel 0, own 3\) and 1 files/);
    await there([plain, withFile, boost], false);
    await there([pinned, marked, faved, dm, edPost], true);
    const kept = await call(bo, 'GET', `/api/v1/statuses/${reply.id}`);
    assert.equal(kept.in_reply_to_id, plain.id, "others' replies remain, as replies to a deleted post");
    assert.ok(!(await homeIds()).includes(plain.id), 'gone from the followers\' home');
    assert.ok(!(await homeIds()).includes(boost.id));
    assert.deepEqual(await searched(), [], 'gone from search');
    assert.equal((await notes()).length, 0, 'its notifications are gone');
    assert.equal((await fetch(fileUrl, { headers: { Authorization: `Bearer ${bo.token}` } })).status, 404, 'its file is gone');
    assert.deepEqual(await derivedLeft([plain.id, withFile.id, boost.id]), { statuses: 0 }, 'no row of anything derived is left');
    const [row] = await auditRows('retention.run');
    assert.equal(row.actor_id, null);
    assert.deepEqual(
      [row.detail.posts, row.detail.files, row.detail.own, row.detail.company, row.detail.direct, row.detail.channel],
      [3, 1, 3, 0, 0, 0],
    );

    // the administrators' policies: a channel 10 days, direct messages 20, the company 30
    const chan = await call(fay, 'POST', CH, { json: { name: uniqueName('rch') } });
    const heldChan = await call(fay, 'POST', CH, { json: { name: uniqueName('rhe') } });
    const inChan = await post(fay, { status: 'in the channel', channel_id: chan.id });
    const inChan2 = await post(fay, { status: 'also in the channel', channel_id: chan.id });
    await call(fay, 'POST', `${CH}/${chan.id}/pins/${inChan.id}`); // a channel pins at most 2
    await call(fay, 'POST', `${CH}/${chan.id}/pins/${inChan2.id}`);
    const inHeld = await post(fay, { status: 'in the held channel', channel_id: heldChan.id });
    const fayPost = await post(fay, { status: 'company-wide' });
    const fayBoosted = await post(fay, { status: 'boosted by a held account' });
    await call(ed, 'POST', `/api/v1/statuses/${fayBoosted.id}/reblog`);
    const fayDm = await post(fay, { status: `@${bo.username} direct`, visibility: 'direct' });
    const fayDmToHeld = await post(fay, { status: `@${ed.username} direct to the held`, visibility: 'direct' });
    const p1 = await call(admin, 'PUT', `${POLICIES}/channels/${chan.id}`, { json: { days: 10 } });
    assert.equal(p1.scope, 'channel');
    assert.equal(p1.channel_id, chan.id);
    await call(admin, 'PUT', `${POLICIES}/channels/${heldChan.id}`, { json: { days: 10 } });
    await call(admin, 'PUT', `${POLICIES}/direct`, { json: { days: 20 } });
    await call(admin, 'PUT', `${POLICIES}/company`, { json: { days: 30 } });
    const chHold = await call(admin, 'POST', HOLDS, { json: { channel_id: heldChan.id, reason: 'audit' } });
    const listed = await call(admin, 'GET', POLICIES);
    assert.deepEqual(listed.map((p) => [p.scope, p.days]).sort(), [['channel', 10], ['channel', 10], ['company', 30], ['direct', 20]]);

    assert.match(await runAt(15), /\(company 0, direct 0, channel 2, own 0\)/);
    await there([inChan, inChan2], false);
    assert.deepEqual(await derivedLeft([inChan.id, inChan2.id]), { statuses: 0 }, 'its channel pins too');
    // the channel's pins went with them: two new ones fit
    assert.deepEqual(await call(fay, 'GET', `${CH}/${chan.id}/pins`), []);
    const later = [];
    for (const text of ['pinned later', 'pinned later too']) {
      later.push(await post(fay, { status: text, channel_id: chan.id }));
      await call(fay, 'POST', `${CH}/${chan.id}/pins/${later.at(-1).id}`);
    }
    await there([inHeld, fayPost, fayDm, dm], true);

    // the direct messages' policy takes dee's too, which her own setting kept
    assert.match(await runAt(25), /\(company 0, direct 2, channel 2, own 0\)/);
    await there([fayDm, dm], false);
    assert.deepEqual(await derivedLeft([fayDm.id, dm.id]), { statuses: 0 }, 'the messages\' conversations rows too');
    await there([fayDmToHeld, fayPost], true);

    // at 35 days the company's policy takes what dee's own kept, and bo's reply
    assert.match(await runAt(35), /deleted 5 posts \(company 5, direct 0, channel 0, own 0\)/);
    await there([fayPost, pinned, marked, faved, reply], false);
    await there([inHeld, fayBoosted, fayDmToHeld, edPost], true);

    // released, the account's posts go at the next run; the channel still holds
    const released = await call(admin, 'POST', `${HOLDS}/${edHold.id}/release`);
    assert.equal(released.released_by, admin.id);
    assert.ok(released.released_at);
    assert.match(await runAt(35), /deleted 4 posts/);
    await there([edPost, fayBoosted, fayDmToHeld], false);
    await there([inHeld], true);
    const active = await call(admin, 'GET', HOLDS);
    assert.deepEqual(active.map((h) => h.id), [chHold.id]);
    const all = await call(admin, 'GET', `${HOLDS}?all=true`);
    assert.ok(all.some((h) => h.id === edHold.id && h.released_at));

    // the acts are audited, by whom
    for (const action of ['hold.set', 'hold.release', 'retention.policy_set']) {
      const rows = await auditRows(action);
      assert.ok(rows.length >= 1 && rows.every((r) => r.actor_id === admin.id), action);
    }
    assert.equal((await auditRows('hold.release'))[0].target_id, ed.account.id);
    assert.equal((await auditRows('retention.run')).length, 5, 'one row per run, not one per post');
    const verify = await cli(['audit', 'verify']);
    assert.equal(verify.code, 0, verify.stderr);

    // the policies removed: nothing more goes
    for (const p of ['company', 'direct', `channels/${chan.id}`, `channels/${heldChan.id}`]) await call(admin, 'DELETE', `${POLICIES}/${p}`);
    await call(admin, 'DELETE', `${POLICIES}/company`, { status: 404 });
    const removed = await auditRows('retention.policy_remove');
    assert.equal(removed.length, 4);
    assert.ok(removed.every((r) => r.actor_id === admin.id && r.detail.days === 0));
    const ownRow = (await auditRows('account.cleanup_policy')).find((r) => r.actor_id === dee.account.id);
    assert.deepEqual([ownRow.target_id, ownRow.detail.enabled, ownRow.detail.min_status_age], [dee.account.id, 'true', 86400]);
    await call(dee, 'PUT', OWN, { json: { enabled: false } });
    await call(ed, 'PUT', OWN, { json: { enabled: false } });
    assert.match(await runAt(400), /no retention policy/);
  });

  test('only administrators: 403 for members (even with admin scopes), 401 without a token, 403 for a token without admin scopes', async () => {
    const [mo] = await registerUsers(url, ['r_mo']);
    const app = await createApp(url, { scopes: ADMIN_SCOPES });
    const tok = await passwordLogin(url, app, mo.username, mo.password, ADMIN_SCOPES);
    const member = { token: tok.accessToken };
    for (const [method, p, json] of [
      ['GET', POLICIES], ['PUT', `${POLICIES}/company`, { days: 1 }], ['DELETE', `${POLICIES}/company`],
      ['GET', HOLDS], ['POST', HOLDS, { account_id: mo.account.id }], ['POST', `${HOLDS}/1/release`],
    ]) {
      const r = await call(member, method, p, { json, status: 403 });
      assert.match(r.error, /Only administrators/);
      assert.equal((await raw(url, p, { method, json })).status, 401);
    }
    // an administrator's token without admin scopes
    const plainApp = await createApp(url);
    const me = await call(admin, 'GET', '/api/v1/accounts/verify_credentials');
    const weak = await passwordLogin(url, plainApp, me.username, 'long enough pw');
    await call(weak.accessToken, 'GET', POLICIES, { status: 403 });
    await call(weak.accessToken, 'PUT', `${POLICIES}/company`, { json: { days: 1 }, status: 403 });
    assert.deepEqual(await call(admin, 'GET', POLICIES), [], 'nothing was set');
    // a member's own policy is theirs: no one else's is read or written
    const mine = await call(mo, 'GET', OWN);
    assert.equal(mine.enabled, false);
    await call(mo, 'PUT', OWN, { json: { enabled: true }, status: 200 });
    assert.equal((await call(admin, 'GET', OWN)).enabled, false);
  });

  test('bad input: 422 saying what was wrong, and nothing written', async () => {
    const [pat] = await registerUsers(url, ['r_pat']);
    for (const days of [0, -1, 36501, 'abc', 2.5, null]) {
      const r = await call(admin, 'PUT', `${POLICIES}/company`, { json: { days }, status: 422 });
      assert.match(r.error, /days must be a whole number/);
    }
    assert.match((await call(admin, 'PUT', `${POLICIES}/channels/${pat.account.id}`, { json: { days: 5 }, status: 422 })).error, /not a channel/);
    assert.match((await call(admin, 'POST', HOLDS, { json: {}, status: 422 })).error, /either account_id or channel_id/);
    assert.match((await call(admin, 'POST', HOLDS, { json: { account_id: pat.account.id, channel_id: pat.account.id }, status: 422 })).error, /either/);
    assert.match((await call(admin, 'POST', HOLDS, { json: { account_id: '999999' }, status: 422 })).error, /not a person's account/);
    assert.match((await call(admin, 'POST', HOLDS, { json: { account_id: pat.account.id, reason: 'x'.repeat(501) }, status: 422 })).error, /reason/);
    assert.deepEqual(await call(admin, 'GET', POLICIES), []);
    assert.deepEqual((await call(admin, 'GET', HOLDS)).filter((h) => h.target_id === pat.account.id), []);
    const h = await call(admin, 'POST', HOLDS, { json: { account_id: pat.account.id } });
    assert.match((await call(admin, 'POST', HOLDS, { json: { account_id: pat.account.id }, status: 422 })).error, /already under a legal hold/);
    await call(admin, 'POST', `${HOLDS}/${h.id}/release`);
    assert.match((await call(admin, 'POST', `${HOLDS}/${h.id}/release`, { status: 404 })).error, /No legal hold/);

    const before = await call(pat, 'PUT', OWN, { json: { enabled: true, min_status_age: 604800, min_favs: 3 } });
    for (const [json, re] of [
      [{ min_status_age: 60 }, /min_status_age must be/],
      [{ min_status_age: 'soon' }, /min_status_age must be a whole number/],
      [{ min_favs: -5 }, /min_favs/],
      [{ min_reblogs: 'many' }, /min_reblogs must be a whole number or null/],
      [{ keep_pinned: 'maybe' }, /keep_pinned must be true or false/],
      [{ enabled: false, min_status_age: 1 }, /min_status_age/],
    ]) assert.match((await call(pat, 'PUT', OWN, { json, status: 422 })).error, re);
    assert.deepEqual(await call(pat, 'GET', OWN), before, 'nothing half-written');
    assert.equal((await call(pat, 'PUT', OWN, { json: { min_favs: null } })).min_favs, null);
  });

  test('one run at a time: a run refuses while another node holds the lease, and runs once it has expired', async () => {
    assert.equal((await cli(['retention', 'set', '--scope', 'company', '--days', '3650'])).code, 0);
    const runs = (await auditRows('retention.run')).length;
    await sqlNumber(`UPDATE retention_lease SET holder = 'node 9 pid 1', until_at = ${Date.now() + 600000}`);
    const busy = await cli(['retention', 'run']);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /another retention run is under way/);
    await sqlNumber(`UPDATE retention_lease SET until_at = ${Date.now() - 1}`);
    const ran = await cli(['retention', 'run']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /deleted 0 posts/);
    assert.equal((await auditRows('retention.run')).length, runs + 1, 'the refused run recorded nothing');
    assert.equal(await sqlNumber("SELECT count(*) FROM retention_lease WHERE holder = '' AND last_run_at > 0"), 1,
      'given back, noting when the run began');
    assert.equal((await cli(['retention', 'set', '--scope', 'company', '--days', '0'])).code, 0);
  });

  test('the command line: set, show, hold and release, with clear refusals', async () => {
    const [quin] = await registerUsers(url, ['r_quin']);
    assert.equal((await cli(['retention', 'set', '--scope', 'company', '--days', '90'])).code, 0);
    const shown = await cli(['retention', 'show']);
    assert.match(shown.stdout, /policy\tcompany\t-\t90 days/);
    const held = await cli(['hold', '--username', quin.username, '--reason', 'inquiry']);
    assert.equal(held.code, 0, held.stderr);
    assert.match((await cli(['retention', 'show'])).stdout, new RegExp(`hold\\t\\d+\\taccount\\t${quin.username}\\t.*\\tinquiry`));
    const [row] = await auditRows('hold.set');
    assert.equal(row.detail.by, 'admin_cli');
    assert.equal(row.target_id, quin.account.id);
    assert.equal((await cli(['hold', '--username', 'nobody_here'])).code, 1);
    assert.equal((await cli(['retention', 'set', '--scope', 'company', '--days', '-3'])).code, 2);
    assert.match((await cli(['retention', 'set', '--scope', 'company', '--days', '99999'])).stderr, /from 1 to 36500/);
    assert.equal((await cli(['hold', '--username', quin.username, '--release'])).code, 0);
    assert.match((await cli(['hold', '--username', quin.username, '--release'])).stderr, /not under a legal hold/);
    assert.equal((await cli(['retention', 'set', '--scope', 'company', '--days', '0'])).code, 0);
    assert.match((await cli(['retention', 'show'])).stdout, /no retention policy/);
  });
});
