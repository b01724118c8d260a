// Reports and moderation (issue 14, "Reports and moderation"; docs/api.md "Moderation"; the rules
// are src/app/moderation.h and src/app/reports.h): roles set by the command line and by an
// administrator; POST /api/v1/reports with its limits; the moderators' /api/v1/admin/reports and
// /api/v1|v2/admin/accounts driven by masto.js as a moderation app would; the privacy rule (a
// moderator sees a reported private post through the report only, and that showing is audited);
// every act's audit row; and who is refused: members, narrower scopes, made-up tokens. One server
// where sign-ups wait for approval (so that approve and reject have someone to act on). Runs on
// both databases.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import WebSocket from 'ws';

import {
  ALL_SCOPES, PASSWORD, adminCli, createApp, expectHttpError, parseLink, passwordLogin, raw,
  registerUser, restClient, startServer, uniqueName
} from './harness.mjs';

const STAFF_SCOPES = `${ALL_SCOPES} admin:read admin:write`;
const AUDIT = '/api/v1/partyline/admin/audit';
const MAX_STATUSES = 3;
const PER_HOUR = 6;

let srv;
let url;
let admin; // {token, id, client, username}
let mod; // the moderator, same shape

function cli(args) {
  return adminCli(srv, args);
}

/** A staff member made by the command line (an administrator, or a person given a role). */
async function staff(role) {
  const username = uniqueName(role.slice(0, 3));
  const made = await cli(['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', PASSWORD, ...(role === 'admin' ? ['--admin'] : [])]);
  assert.equal(made.code, 0, made.stderr);
  if (role !== 'admin') {
    const set = await cli(['set-role', '--username', username, '--role', role]);
    assert.equal(set.code, 0, set.stderr);
  }
  const app = await createApp(url, { scopes: STAFF_SCOPES });
  const tok = await passwordLogin(url, app, username, PASSWORD, STAFF_SCOPES);
  const client = restClient(url, tok.accessToken);
  const me = await client.v1.accounts.verifyCredentials();
  return { token: tok.accessToken, id: me.id, client, username, me };
}

/** A member: signs up (waiting for approval here) and is approved by the administrator. */
async function member(prefix) {
  const u = await registerUser(url, uniqueName(prefix), { verify: false });
  const id = (await admin.client.v1.admin.accounts.list({ pending: true, username: u.username }))[0].id;
  await admin.client.v1.admin.accounts.$select(id).approve();
  u.account = await u.client.v1.accounts.verifyCredentials();
  return u;
}

async function call(who, method, p, { json, status = 200 } = {}) {
  const r = await raw(url, p, { method, token: who?.token ?? who, json });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r;
}

/** The newest audit row of action about target (administrators read the log). */
async function auditRow(action, target) {
  const r = await call(admin, 'GET', `${AUDIT}?action=${action}&target=${target}&limit=5`);
  assert.ok(r.json.length >= 1, `an audit row ${action} of ${target}`);
  return r.json[0];
}

async function post(who, status, visibility = 'public') {
  return who.client.v1.statuses.create({ status, visibility });
}

before(async () => {
  const rulesFile = path.join(os.tmpdir(), `${uniqueName('rules')}.txt`);
  await writeFile(rulesFile, 'Be kind to colleagues\nNo customer data in posts\n');
  srv = await startServer({
    env: {
      PARTYLINE_REGISTRATIONS: 'approval',
      PARTYLINE_RULES_FILE: rulesFile,
      PARTYLINE_MAX_REPORT_STATUSES: String(MAX_STATUSES),
      PARTYLINE_MAX_REPORT_COMMENT: '50',
      PARTYLINE_REPORTS_PER_HOUR: String(PER_HOUR),
    },
  });
  url = srv.url;
  admin = await staff('admin');
  mod = await staff('moderator');
});

after(async () => {
  await srv?.stop();
});

describe('roles', () => {
  test('the command line makes a moderator: Role says so, and the row is audited', async () => {
    assert.equal(mod.me.role.name, 'Moderator');
    assert.equal(mod.me.role.permissions, '1040');
    assert.equal(admin.me.role.name, 'Admin');
    const row = await auditRow('admin.set_role', mod.id);
    assert.equal(row.detail.role, 'moderator');
    assert.equal(row.detail.by, 'admin_cli');
    const listed = await cli(['list-users']);
    assert.match(listed.stdout, new RegExp(`${mod.username}\\t[^\\n]*\\tactive,moderator`));
    assert.notEqual((await cli(['set-role', '--username', mod.username, '--role', 'king'])).code, 0);
  });

  test('an administrator sets a role through the API; a moderator cannot make anyone anything', async () => {
    const amy = await member('ro_amy');
    const roleUrl = `/api/v1/partyline/admin/accounts/${amy.account.id}/role`;
    const r = await call(admin, 'POST', roleUrl, { json: { role: 'moderator' } });
    assert.equal(r.json.role.name, 'Moderator');
    const row = await auditRow('admin.set_role', amy.account.id);
    assert.equal(row.actor_id, admin.id);
    assert.equal(row.detail.was, 'user');
    const refused = await call(mod, 'POST', roleUrl, { json: { role: 'admin' }, status: 403 });
    assert.match(refused.json.error, /administrators/);
    await call(mod, 'POST', `/api/v1/partyline/admin/accounts/${mod.id}/role`, { json: { role: 'admin' }, status: 403 });
    assert.match((await call(admin, 'POST', roleUrl, { json: { role: 'king' }, status: 422 })).json.error, /admin, moderator or user/);
    await call(admin, 'POST', `/api/v1/partyline/admin/accounts/${admin.id}/role`, { json: { role: 'user' }, status: 422 });
    await call(admin, 'POST', roleUrl, { json: { role: 'user' } });
    // a moderator's audit log stays the administrators'
    await call(mod, 'GET', AUDIT, { status: 403 });
  });

  test('members get 403, no token 401, a made-up token 401, a token without the admin scope 403', async () => {
    const bo = await member('ro_bo');
    for (const p of ['/api/v1/admin/reports', '/api/v1/admin/accounts', '/api/v2/admin/accounts']) {
      const r = await raw(url, p, { token: bo.token });
      assert.equal(r.status, 403, `${p}: ${r.text}`); // its token lacks admin:read
      assert.ok(r.json.error);
      assert.equal((await raw(url, p)).status, 401);
      assert.equal((await raw(url, p, { token: 'made-up-token' })).status, 401);
    }
    // a member whose token does carry the admin scopes is still no moderator
    const app = await createApp(url, { scopes: STAFF_SCOPES });
    const tok = await passwordLogin(url, app, bo.username, PASSWORD, STAFF_SCOPES);
    const r = await raw(url, '/api/v1/admin/reports', { token: tok.accessToken });
    assert.equal(r.status, 403);
    assert.match(r.json.error, /moderators and administrators/);
    const act = await raw(url, `/api/v1/admin/accounts/${mod.id}/action`, { method: 'POST', token: tok.accessToken, json: { type: 'disable' } });
    assert.equal(act.status, 403);
    // a moderator's own token without an admin scope
    const plainApp = await createApp(url);
    const plain = await passwordLogin(url, plainApp, mod.username, PASSWORD);
    assert.equal((await raw(url, '/api/v1/admin/reports', { token: plain.accessToken })).status, 403);
  });

  test('the granular admin scopes work as Mastodon\'s: admin:read:reports reads reports and nothing else', async () => {
    const scopes = 'read admin:read:reports admin:write:reports';
    const app = await createApp(url, { scopes });
    const tok = await passwordLogin(url, app, mod.username, PASSWORD, 'read admin:read:reports');
    assert.equal((await raw(url, '/api/v1/admin/reports', { token: tok.accessToken })).status, 200);
    assert.equal((await raw(url, '/api/v1/admin/accounts', { token: tok.accessToken })).status, 403);
    const r = await raw(url, '/api/v1/admin/reports/1/resolve', { method: 'POST', token: tok.accessToken });
    assert.equal(r.status, 403);
    const acc = await createApp(url, { scopes: 'read admin:read:accounts' });
    const tok2 = await passwordLogin(url, acc, mod.username, PASSWORD, 'read admin:read:accounts');
    assert.equal((await raw(url, '/api/v2/admin/accounts', { token: tok2.accessToken })).status, 200);
    assert.equal((await raw(url, '/api/v1/admin/reports', { token: tok2.accessToken })).status, 403);
  });
});

describe('filing a report', () => {
  let rea;
  let tara;
  before(async () => {
    [rea, tara] = [await member('rp_rea'), await member('rp_tara')];
    await rea.client.v1.accounts.$select(tara.account.id).follow();
  });

  test('a report names the target\'s posts the reporter sees (a followers-only one too) and answers the Report', async () => {
    const pub = await post(tara, 'a public post');
    const priv = await post(tara, 'for my followers', 'private');
    const rep = await rea.client.v1.reports.create({
      accountId: tara.account.id, statusIds: [pub.id, priv.id, pub.id], comment: 'please look', category: 'spam', forward: false,
    });
    assert.equal(rep.category, 'spam');
    assert.equal(rep.comment, 'please look');
    assert.equal(rep.actionTaken, false);
    assert.deepEqual([...rep.statusIds].sort(), [pub.id, priv.id].sort());
    assert.equal(rep.targetAccount.id, tara.account.id);
    const row = await auditRow('report.create', rep.id);
    assert.equal(row.actor_id, rea.account.id);
    assert.equal(row.detail.account_id, tara.account.id);
    assert.equal(row.detail.category, 'spam');
    assert.ok(!JSON.stringify(row).includes('please look'), 'no comment in the audit log');
  });

  test('moderators and administrators are notified (admin.report, with the Report); members are not', async () => {
    const rep = await rea.client.v1.reports.create({ accountId: tara.account.id, comment: 'notify' });
    for (const who of [mod, admin]) {
      const ns = await who.client.v1.notifications.list({ types: ['admin.report'], limit: 40 });
      const n = ns.find((x) => x.report?.id === rep.id);
      assert.ok(n, 'an admin.report notification');
      assert.equal(n.type, 'admin.report');
      assert.equal(n.account.id, rea.account.id);
      assert.equal(n.report.targetAccount.id, tara.account.id);
    }
    const v2 = await raw(url, '/api/v2/notifications?types[]=admin.report&limit=40', { token: mod.token });
    assert.ok(v2.json.notification_groups.some((g) => g.report?.id === rep.id), 'and grouped, each its own');
    const ofTara = await tara.client.v1.notifications.list({ limit: 40 });
    assert.ok(!ofTara.some((x) => x.type === 'admin.report'));
  });

  test('rules make it a violation; unknown rules, categories and accounts are refused', async () => {
    const rep = await rea.client.v1.reports.create({ accountId: tara.account.id, ruleIds: ['2'], category: 'other' });
    assert.equal(rep.category, 'violation');
    assert.deepEqual(rep.ruleIds, ['2']);
    await expectHttpError(rea.client.v1.reports.create({ accountId: tara.account.id, ruleIds: ['3'] }), 422, /rule/);
    await expectHttpError(rea.client.v1.reports.create({ accountId: tara.account.id, category: 'rude' }), 422, /category/);
    await expectHttpError(rea.client.v1.reports.create({ accountId: '999999999' }), 404, /not found/i);
    await expectHttpError(rea.client.v1.reports.create({ accountId: rea.account.id }), 422, /yourself/);
    await expectHttpError(rea.client.v1.reports.create({ accountId: tara.account.id, comment: 'x'.repeat(51) }), 422, /maximum is 50/);
  });

  test('a made-up post, another\'s post, or one hidden from the reporter is refused, and nothing is written', async () => {
    const other = await post(rea, 'mine');
    const secret = await tara.client.v1.statuses.create({ status: `@${admin.username} only`, visibility: 'direct' });
    const many = await Promise.all([1, 2, 3, 4].map((i) => post(tara, `post ${i}`)));
    const before = (await admin.client.v1.admin.reports.list({ targetAccountId: tara.account.id, limit: 200 })).length;
    for (const ids of [['123456789'], [other.id], [secret.id], many.map((s) => s.id)]) {
      const r = await raw(url, '/api/v1/reports', { method: 'POST', token: rea.token, json: { account_id: tara.account.id, status_ids: ids } });
      assert.equal(r.status, 422, r.text);
      assert.match(r.json.error, ids.length > MAX_STATUSES ? /at most 3 posts/ : /not one of that account's posts you can see/);
    }
    const afterCount = (await admin.client.v1.admin.reports.list({ targetAccountId: tara.account.id, limit: 200 })).length;
    assert.equal(afterCount, before);
  });

  test(`a reporter may file ${PER_HOUR} reports an hour, then 429`, async () => {
    const flood = await member('rp_flood');
    for (let i = 0; i < PER_HOUR; i++) await flood.client.v1.reports.create({ accountId: tara.account.id });
    await expectHttpError(flood.client.v1.reports.create({ accountId: tara.account.id }), 429, /at most 6 an hour/);
    // someone else still may
    await rea.client.v1.reports.create({ accountId: tara.account.id });
  });
});

describe('the moderators\' reports', () => {
  let ann;
  let ted;
  let rep;
  let direct;
  let otherPrivate;
  before(async () => {
    [ann, ted] = [await member('mr_ann'), await member('mr_ted')];
    direct = await ted.client.v1.statuses.create({ status: `@${ann.username} a direct message`, visibility: 'direct' });
    otherPrivate = await post(ted, 'another followers-only post', 'private');
    rep = await ann.client.v1.reports.create({ accountId: ted.account.id, statusIds: [direct.id], comment: 'harassment' });
  });

  test('a moderator sees the reported direct message through the report, and the showing is audited', async () => {
    const r = await mod.client.v1.admin.reports.$select(rep.id).fetch();
    assert.equal(r.id, rep.id);
    assert.equal(r.account.account.id, ann.account.id);
    assert.equal(r.targetAccount.id, ted.account.id);
    assert.equal(r.targetAccount.username, ted.username);
    assert.equal(r.comment, 'harassment');
    assert.equal(r.category, 'other');
    assert.equal(r.assignedAccount, null);
    assert.deepEqual(r.statuses.map((s) => s.id), [direct.id]);
    assert.match(r.statuses[0].content, /a direct message/);
    const row = await auditRow('report.view', rep.id);
    assert.equal(row.actor_id, mod.id);
    assert.equal(row.detail.status_ids, direct.id);
  });

  test('nothing else opens: the post itself and the author\'s other private posts stay closed to the moderator', async () => {
    await expectHttpError(mod.client.v1.statuses.$select(direct.id).fetch(), 404);
    await expectHttpError(mod.client.v1.statuses.$select(otherPrivate.id).fetch(), 404);
    const theirs = await mod.client.v1.accounts.$select(ted.account.id).statuses.list({ limit: 40 });
    assert.ok(!theirs.some((s) => s.id === direct.id || s.id === otherPrivate.id));
    const ctx = await raw(url, `/api/v1/statuses/${direct.id}/context`, { token: mod.token });
    assert.equal(ctx.status, 404);
  });

  test('the reported post\'s files come with it to the moderator, and no other file of the author does', async () => {
    const [fa, ft] = [await member('mr_fa'), await member('mr_ft')];
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const upload = async () => ft.client.v2.media.create({ file: new Blob([pdf]) });
    const [m1, m2] = [await upload(), await upload()];
    const withFile = await ft.client.v1.statuses.create({ status: `@${fa.username} the file`, visibility: 'direct', mediaIds: [m1.id] });
    const unreported = await ft.client.v1.statuses.create({ status: 'mine only', visibility: 'private', mediaIds: [m2.id] });
    const r = await fa.client.v1.reports.create({ accountId: ft.account.id, statusIds: [withFile.id] });
    const shown = await mod.client.v1.admin.reports.$select(r.id).fetch();
    const fileUrl = shown.statuses[0].mediaAttachments[0].url;
    assert.equal((await fetch(fileUrl)).status, 200, 'the address the report gave works');
    assert.equal((await fetch(fileUrl, { headers: { authorization: `Bearer ${mod.token}` } })).status, 200);
    const other = unreported.mediaAttachments[0].url; // the author's own address of the other file
    assert.equal((await fetch(other, { headers: { authorization: `Bearer ${mod.token}` } })).status, 404);
    assert.equal((await fetch(fileUrl, { headers: { authorization: `Bearer ${fa.token}` } })).status, 200, 'the addressee still reads it');
    const stranger = await member('mr_str');
    assert.equal((await fetch(fileUrl, { headers: { authorization: `Bearer ${stranger.token}` } })).status, 404);
  });

  test('a member cannot read another\'s report, nor their own, through the admin API; an unknown id is 404', async () => {
    const r = await raw(url, `/api/v1/admin/reports/${rep.id}`, { token: ann.token });
    assert.equal(r.status, 403);
    assert.equal((await raw(url, '/api/v1/admin/reports/12345', { token: mod.token })).status, 404);
  });

  test('assign to self, unassign, resolve, reopen and a new category: each answered and audited', async () => {
    const sel = mod.client.v1.admin.reports.$select(rep.id);
    let r = await sel.assignToSelf();
    assert.equal(r.assignedAccount.id, mod.id);
    assert.equal((await auditRow('report.assign', rep.id)).actor_id, mod.id);
    r = await sel.unassign();
    assert.equal(r.assignedAccount, null);
    await auditRow('report.unassign', rep.id);
    r = await sel.resolve();
    assert.equal(r.actionTaken, true);
    assert.ok(r.actionTakenAt);
    assert.equal(r.actionTakenByAccount.id, mod.id);
    await auditRow('report.resolve', rep.id);
    const resolved = await mod.client.v1.admin.reports.list({ resolved: true, targetAccountId: ted.account.id });
    assert.deepEqual(resolved.map((x) => x.id), [rep.id]);
    const open = await mod.client.v1.admin.reports.list({ targetAccountId: ted.account.id });
    assert.deepEqual(open, []);
    r = await sel.reopen();
    assert.equal(r.actionTaken, false);
    assert.equal(r.actionTakenByAccount, null);
    await auditRow('report.reopen', rep.id);
    const put = await call(mod, 'PUT', `/api/v1/admin/reports/${rep.id}`, { json: { category: 'violation', rule_ids: ['1'] } });
    assert.equal(put.json.category, 'violation');
    assert.deepEqual(put.json.rules.map((x) => [x.id, x.text]), [['1', 'Be kind to colleagues']]);
    assert.equal((await auditRow('report.update', rep.id)).detail.category, 'violation');
    await call(mod, 'PUT', `/api/v1/admin/reports/${rep.id}`, { json: { category: 'rude' }, status: 422 });
  });

  test('a report about a moderator is the others\' to handle: its subject neither hears of it nor finds it', async () => {
    const about = await ann.client.v1.reports.create({ accountId: mod.id, comment: 'about the moderator' });
    assert.equal((await raw(url, `/api/v1/admin/reports/${about.id}`, { token: mod.token })).status, 404);
    assert.ok(!(await mod.client.v1.admin.reports.list({ limit: 200 })).some((r) => r.id === about.id));
    const ns = await mod.client.v1.notifications.list({ types: ['admin.report'], limit: 40 });
    assert.ok(!ns.some((n) => n.report?.id === about.id));
    assert.equal((await admin.client.v1.admin.reports.$select(about.id).fetch()).targetAccount.id, mod.id);
    assert.ok((await admin.client.v1.notifications.list({ types: ['admin.report'], limit: 40 })).some((n) => n.report?.id === about.id));
  });

  test('the list filters by reporter and target and pages with a Link header', async () => {
    const more = [];
    for (let i = 0; i < 2; i++) more.push(await ann.client.v1.reports.create({ accountId: ted.account.id, comment: `more ${i}` }));
    const first = await raw(url, `/api/v1/admin/reports?account_id=${ann.account.id}&limit=2`, { token: mod.token });
    assert.equal(first.status, 200);
    assert.deepEqual(first.json.map((x) => x.id), [more[1].id, more[0].id]);
    const next = parseLink(first.headers.get('link')).next;
    assert.ok(next.includes('account_id='));
    const second = await raw(url, next.replace(url, ''), { token: mod.token });
    assert.deepEqual(second.json.map((x) => x.id), [rep.id]);
    const byTarget = await mod.client.v1.admin.reports.list({ targetAccountId: ann.account.id });
    assert.deepEqual(byTarget, []);
    await call(mod, 'GET', '/api/v1/admin/reports?account_id=nope', { status: 422 });
  });
});

describe('the moderators\' accounts', () => {
  test('a waiting sign-up is listed (v1 pending, v2 status=pending) with its reason; approve lets it in, reject deletes it', async () => {
    const app = await createApp(url);
    const appTok = await passwordLoginless(app);
    const names = [uniqueName('ac_wait'), uniqueName('ac_no')];
    const tokens = [];
    for (const n of names) {
      const t = await restClient(url, appTok).v1.accounts.create({ username: n, email: `${n}@example.com`, password: PASSWORD, agreement: true, locale: 'en', reason: 'I work here' });
      tokens.push(t.accessToken);
    }
    const v1 = await mod.client.v1.admin.accounts.list({ pending: true, username: names[0] });
    assert.equal(v1.length, 1);
    assert.equal(v1[0].approved, false);
    assert.equal(v1[0].inviteRequest, 'I work here');
    assert.equal(v1[0].email, `${names[0]}@example.com`);
    const v2 = await mod.client.v2.admin.accounts.list({ status: 'pending', username: names[1] });
    assert.equal(v2.length, 1);
    assert.equal((await raw(url, '/api/v1/accounts/verify_credentials', { token: tokens[0] })).status, 403);
    const ok = await mod.client.v1.admin.accounts.$select(v1[0].id).approve();
    assert.equal(ok.approved, true);
    assert.equal((await raw(url, '/api/v1/accounts/verify_credentials', { token: tokens[0] })).status, 200);
    assert.equal((await auditRow('admin.approve', v1[0].id)).actor_id, mod.id);
    await expectHttpError(mod.client.v1.admin.accounts.$select(v1[0].id).approve(), 422, /not waiting/);
    const gone = await mod.client.v1.admin.accounts.$select(v2[0].id).reject();
    assert.equal(gone.username, names[1]);
    await expectHttpError(mod.client.v1.admin.accounts.$select(v2[0].id).fetch(), 404);
    assert.equal((await auditRow('admin.reject', v2[0].id)).detail.username, names[1]);
  });

  test('disable: every token revoked and no sign-in; enable: signs in again; audited', async () => {
    const dee = await member('ac_dee');
    const sel = mod.client.v1.admin.accounts.$select(dee.account.id);
    await sel.action.create({ type: 'disable', text: 'cooling off' });
    assert.equal((await raw(url, '/api/v1/accounts/verify_credentials', { token: dee.token })).status, 401);
    await assert.rejects(passwordLogin(url, dee.app, dee.username, PASSWORD));
    const shown = await sel.fetch();
    assert.equal(shown.disabled, true);
    const row = await auditRow('admin.disable', dee.account.id);
    assert.equal(row.actor_id, mod.id);
    assert.equal(row.detail.text_bytes, 11);
    assert.ok(!JSON.stringify(row).includes('cooling'), 'the note is not kept');
    assert.ok((await mod.client.v2.admin.accounts.list({ status: 'disabled', username: dee.username })).length === 1);
    const back = await sel.enable();
    assert.equal(back.disabled, false);
    await auditRow('admin.enable', dee.account.id);
    await passwordLogin(url, dee.app, dee.username, PASSWORD);
  });

  test('disabling closes the person\'s open stream at once', async () => {
    const liv = await member('ac_liv');
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/streaming?stream=user`, { headers: { authorization: `Bearer ${liv.token}` } });
    const messages = [];
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    ws.on('error', () => {});
    const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    await new Promise((resolve) => ws.once('open', resolve));
    // live once a post of their own arrives on it
    for (let i = 0; i < 50 && !messages.some((m) => m.event === 'update'); i++) {
      await liv.client.v1.statuses.create({ status: 'am I live?', visibility: 'private' });
      for (let k = 0; k < 15 && !messages.some((m) => m.event === 'update'); k++) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(messages.some((m) => m.event === 'update'), 'the stream is live');
    await mod.client.v1.admin.accounts.$select(liv.account.id).action.create({ type: 'disable' });
    const shut = await Promise.race([closed, new Promise((r) => setTimeout(() => r(null), 5000))]);
    assert.ok(shut, 'the stream closed');
    assert.equal(shut.code, 1008);
  });

  test('silence and suspend set their states and are undone; a suspended account is disabled too', async () => {
    const sue = await member('ac_sue');
    const sel = mod.client.v1.admin.accounts.$select(sue.account.id);
    await sel.action.create({ type: 'silence' });
    assert.equal((await sel.fetch()).silenced, true);
    assert.deepEqual((await mod.client.v1.admin.accounts.list({ silenced: true, username: sue.username })).map((a) => a.id), [sue.account.id]);
    await auditRow('admin.silence', sue.account.id);
    assert.equal((await sel.unsilence()).silenced, false);
    await auditRow('admin.unsilence', sue.account.id);
    await sel.action.create({ type: 'suspend' });
    const s = await sel.fetch();
    assert.equal(s.suspended, true);
    assert.equal(s.disabled, true);
    assert.equal((await raw(url, '/api/v1/accounts/verify_credentials', { token: sue.token })).status, 401);
    await auditRow('admin.suspend', sue.account.id);
    const u = await sel.unsuspend();
    assert.equal(u.suspended, false);
    assert.equal(u.disabled, false);
    await auditRow('admin.unsuspend', sue.account.id);
    await expectHttpError(sel.action.create({ type: 'explode' }), 422, /type must be/);
  });

  test('an action with report_id resolves that report; a report about someone else is refused', async () => {
    const [rita, tom] = [await member('ac_rita'), await member('ac_tom')];
    const rep = await rita.client.v1.reports.create({ accountId: tom.account.id });
    const other = await tom.client.v1.reports.create({ accountId: rita.account.id });
    const sel = mod.client.v1.admin.accounts.$select(tom.account.id);
    const bad = await raw(url, `/api/v1/admin/accounts/${tom.account.id}/action`, { method: 'POST', token: mod.token, json: { type: 'none', report_id: other.id } });
    assert.equal(bad.status, 422);
    assert.match(bad.json.error, /someone else/);
    await sel.action.create({ type: 'none', reportId: rep.id });
    const r = await mod.client.v1.admin.reports.$select(rep.id).fetch();
    assert.equal(r.actionTaken, true);
    assert.equal(r.actionTakenByAccount.id, mod.id);
    assert.equal((await auditRow('admin.warn', tom.account.id)).detail.report_id, rep.id);
  });

  test('a moderator cannot act on staff nor on themselves; an administrator can act on a moderator', async () => {
    const r = await raw(url, `/api/v1/admin/accounts/${admin.id}/action`, { method: 'POST', token: mod.token, json: { type: 'disable' } });
    assert.equal(r.status, 403);
    assert.match(r.json.error, /Only an administrator/);
    assert.equal((await raw(url, `/api/v1/admin/accounts/${mod.id}/action`, { method: 'POST', token: mod.token, json: { type: 'silence' } })).status, 403);
    await admin.client.v1.admin.accounts.$select(mod.id).action.create({ type: 'silence' });
    assert.equal((await admin.client.v1.admin.accounts.$select(mod.id).unsilence()).silenced, false);
  });

  test('the lists filter by staff, username, display name and e-mail, page with a Link header, and know no remote accounts', async () => {
    const staffIds = (await mod.client.v1.admin.accounts.list({ staff: true, limit: 200 })).map((a) => a.id);
    assert.ok(staffIds.includes(admin.id) && staffIds.includes(mod.id));
    const v2staff = (await mod.client.v2.admin.accounts.list({ permissions: 'staff', limit: 200 })).map((a) => a.id);
    assert.deepEqual(v2staff.sort(), staffIds.sort());
    const byMail = await mod.client.v1.admin.accounts.list({ email: mod.username.toUpperCase() });
    assert.deepEqual(byMail.map((a) => a.id), [mod.id]);
    assert.equal(byMail[0].role.name, 'Moderator');
    assert.equal(byMail[0].account.id, mod.id);
    assert.deepEqual(await mod.client.v1.admin.accounts.list({ remote: true }), []);
    assert.deepEqual(await mod.client.v2.admin.accounts.list({ origin: 'remote' }), []);
    await call(mod, 'GET', '/api/v2/admin/accounts?status=sleeping', { status: 422 });
    await call(mod, 'GET', '/api/v1/admin/accounts?pending=perhaps', { status: 422 });
    const page = await raw(url, '/api/v1/admin/accounts?limit=2&active=true', { token: mod.token });
    assert.equal(page.json.length, 2);
    const next = parseLink(page.headers.get('link')).next;
    const second = await raw(url, next.replace(url, ''), { token: mod.token });
    assert.ok(BigInt(second.json[0].id) < BigInt(page.json[1].id));
    const pct = await mod.client.v1.admin.accounts.list({ username: '%' });
    assert.deepEqual(pct, [], 'a % in a filter is a character, not a wildcard');
  });
});

describe('what silence and suspend do, seen by the people', () => {
  let sil;
  let fan; // follows sil
  let stranger;
  let silPost;
  before(async () => {
    [sil, fan, stranger] = [await member('ef_sil'), await member('ef_fan'), await member('ef_str')];
    await fan.client.v1.accounts.$select(sil.account.id).follow();
    silPost = await post(sil, `#silencetag${sil.username} loud`);
    await admin.client.v1.admin.accounts.$select(sil.account.id).action.create({ type: 'silence' });
  });

  test('a silenced person\'s posts leave the public and hashtag timelines, search and trends of those who do not follow them', async () => {
    const pub = async (who) => (await who.client.v1.timelines.public.list({ limit: 40 })).map((s) => s.id);
    assert.ok(!(await pub(stranger)).includes(silPost.id));
    assert.ok((await pub(fan)).includes(silPost.id), 'their followers still see them');
    assert.ok((await pub(sil)).includes(silPost.id), 'and so do they');
    const tag = `silencetag${sil.username}`;
    assert.deepEqual((await stranger.client.v1.timelines.tag.$select(tag).list()).map((s) => s.id), []);
    assert.deepEqual((await fan.client.v1.timelines.tag.$select(tag).list()).map((s) => s.id), [silPost.id]);
    const found = await stranger.client.v2.search.list({ q: sil.username, type: 'accounts' });
    assert.ok(!found.accounts.some((a) => a.id === sil.account.id), 'not found by a stranger');
    const foundByFan = await fan.client.v2.search.list({ q: sil.username, type: 'accounts' });
    assert.ok(foundByFan.accounts.some((a) => a.id === sil.account.id));
    await fan.client.v1.statuses.$select(silPost.id).favourite();
    const trending = async (who) => (await who.client.v1.trends.statuses.list({ limit: 40 })).map((s) => s.id);
    assert.ok((await trending(fan)).includes(silPost.id), 'a liked post trends for their followers');
    assert.ok(!(await trending(stranger)).includes(silPost.id), 'and not for others');
    // the post itself stays open to whoever could open it
    assert.equal((await stranger.client.v1.statuses.$select(silPost.id).fetch()).id, silPost.id);
  });

  test('a silenced person notifies their followers only', async () => {
    const toStranger = await sil.client.v1.statuses.create({ status: `@${stranger.username} hello` });
    const toFan = await sil.client.v1.statuses.create({ status: `@${fan.username} hello` });
    const ofStranger = await stranger.client.v1.notifications.list({ types: ['mention'] });
    assert.ok(!ofStranger.some((n) => n.status?.id === toStranger.id));
    const ofFan = await fan.client.v1.notifications.list({ types: ['mention'] });
    assert.ok(ofFan.some((n) => n.status?.id === toFan.id));
  });

  test('suspend hides the account and its posts from everyone, kept; unsuspend brings them back', async () => {
    const sus = await member('ef_sus');
    const p = await post(sus, 'soon hidden');
    await fan.client.v1.accounts.$select(sus.account.id).follow();
    await admin.client.v1.admin.accounts.$select(sus.account.id).action.create({ type: 'suspend' });
    for (const who of [fan, stranger, mod]) {
      await expectHttpError(who.client.v1.accounts.$select(sus.account.id).fetch(), 404);
      await expectHttpError(who.client.v1.statuses.$select(p.id).fetch(), 404);
      const pub = (await who.client.v1.timelines.public.list({ limit: 40 })).map((s) => s.id);
      assert.ok(!pub.includes(p.id));
    }
    const home = (await fan.client.v1.timelines.home.list({ limit: 40 })).map((s) => s.id);
    assert.ok(!home.includes(p.id), 'gone from the home feed of a follower');
    await expectHttpError(fan.client.v1.accounts.lookup({ acct: sus.username }), 404);
    await expectHttpError(fan.client.v1.statuses.$select(p.id).favourite(), 404);
    await expectHttpError(fan.client.v1.statuses.create({ status: 'a reply', inReplyToId: p.id }), 404);
    await expectHttpError(fan.client.v1.accounts.$select(sus.account.id).unfollow(), 404);
    // the moderators still see it, as suspended
    assert.equal((await mod.client.v1.admin.accounts.$select(sus.account.id).fetch()).suspended, true);
    await admin.client.v1.admin.accounts.$select(sus.account.id).unsuspend();
    assert.equal((await fan.client.v1.statuses.$select(p.id).fetch()).id, p.id);
    assert.equal((await stranger.client.v1.accounts.$select(sus.account.id).fetch()).id, sus.account.id);
    await passwordLogin(url, sus.app, sus.username, PASSWORD);
  });
});

/** An app token (sign-ups go through one). */
async function passwordLoginless(app) {
  const r = await raw(url, '/oauth/token', {
    method: 'POST',
    json: { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: ALL_SCOPES },
  });
  assert.equal(r.status, 200, r.text);
  return r.json.access_token;
}
