// Accounts: registration (POST /api/v1/accounts), credentials, profiles, lookup,
// relationships, follows, blocks, mutes, followers/following, account statuses.
// Docs: methods/accounts, entities/Account, entities/Relationship.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  PASSWORD,
  appToken,
  assertNewestFirst,
  collectPages,
  createApp,
  expectHttpError,
  parseLink,
  raw,
  registerUser,
  registerUsers,
  restClient,
  startServers,
  uniqueName,
  NOT_FOUND,
} from './harness.mjs';

let main; // registrations open (the default), public reads on
let closed; // PARTYLINE_REGISTRATIONS=closed
let domains; // PARTYLINE_ALLOWED_DOMAINS=example.com,example.net (confirmation: emails.test.mjs)
let approval; // PARTYLINE_REGISTRATIONS=approval
let url;

before(async () => {
  [main, closed, domains, approval] = await startServers([
    { env: { PARTYLINE_PUBLIC_READ: 'true' } },
    { env: { PARTYLINE_REGISTRATIONS: 'closed' } },
    { env: { PARTYLINE_ALLOWED_DOMAINS: 'example.com,example.net', PARTYLINE_CONFIRM_EMAIL: 'false' } },
    { env: { PARTYLINE_REGISTRATIONS: 'approval' } },
  ]);
  url = main.url;
});

after(async () => {
  await Promise.all([main, closed, domains, approval].filter(Boolean).map((s) => s.stop()));
});

/** An app token client for registering on server s. */
async function registrar(s) {
  const app = await createApp(s.url);
  const tok = await appToken(s.url, app);
  return { app, rest: restClient(s.url, tok.accessToken) };
}

const reg = (username, extra = {}) => ({
  username,
  email: `${username}@example.com`,
  password: PASSWORD,
  agreement: true,
  locale: 'en',
  ...extra,
});

/** Asserts that no account of that username exists (read back after a refused sign-up). */
async function expectNoAccount(username) {
  const r = await raw(url, `/api/v1/accounts/lookup?acct=${encodeURIComponent(username)}`);
  assert.equal(r.status, 404, `${username} should not exist after the refusal: ${r.text}`);
}

describe('registration: POST /api/v1/accounts', () => {
  test('open by default: returns a Token that works', async () => {
    const { rest } = await registrar(main);
    const username = uniqueName('reg');
    const tok = await rest.v1.accounts.create(reg(username));
    assert.equal(typeof tok.accessToken, 'string');
    assert.match(tok.tokenType, /^bearer$/i);
    const me = await restClient(url, tok.accessToken).v1.accounts.verifyCredentials();
    assert.equal(me.username, username);
    assert.equal(me.acct, username, 'acct of a local user has no domain');
    assert.equal(me.locked, false);
    assert.equal(me.bot, false);
    assert.equal(me.followersCount, 0);
    assert.equal(me.followingCount, 0);
    assert.equal(me.statusesCount, 0);
    assert.ok(!Number.isNaN(Date.parse(me.createdAt)), 'created_at is a datetime');
    assert.match(me.url, new RegExp(`@${username}$`));
    assert.ok(Array.isArray(me.fields));
    assert.ok(Array.isArray(me.emojis));
  });

  test('without an app token: 401', async () => {
    await expectHttpError(restClient(url).v1.accounts.create(reg(uniqueName('reg'))), 401, /token|auth/i);
  });

  test('a taken username is 422 saying so (ERR_TAKEN)', async () => {
    const { rest } = await registrar(main);
    const username = uniqueName('dup');
    await rest.v1.accounts.create(reg(username));
    const e = await expectHttpError(
      rest.v1.accounts.create(reg(username, { email: `other_${username}@example.com` })),
      422,
      /username/i,
      'duplicate username',
    );
    assert.match(e.message, /taken/i, 'the message should say the username is taken');
    assert.ok(e.details?.username, `details.username expected (docs: details since 3.4.0), got ${JSON.stringify(e.details)}`);
    assert.equal(e.details.username[0].error, 'ERR_TAKEN');
  });

  test('a password too short or too long says which (ERR_TOO_SHORT, ERR_TOO_LONG)', async () => {
    const { rest } = await registrar(main);
    for (const [password, code] of [['short', 'ERR_TOO_SHORT'], ['x'.repeat(73), 'ERR_TOO_LONG']]) {
      const username = uniqueName('pw');
      const e = await expectHttpError(rest.v1.accounts.create(reg(username, { password })), 422,
        /between 8 and 72/, `a password of ${password.length} characters`);
      assert.equal(e.details?.password?.[0]?.error, code, JSON.stringify(e.details));
    }
  });

  test('usernames are unique regardless of case', async () => {
    const { rest } = await registrar(main);
    const username = uniqueName('case');
    await rest.v1.accounts.create(reg(username));
    await expectHttpError(
      rest.v1.accounts.create(reg(username.toUpperCase(), { email: `up_${username}@example.com` })),
      422,
      /taken/i,
    );
  });

  test('a taken e-mail is 422', async () => {
    const { rest } = await registrar(main);
    const a = uniqueName('mail');
    await rest.v1.accounts.create(reg(a));
    const b = uniqueName('mail');
    await expectHttpError(rest.v1.accounts.create(reg(b, { email: `${a}@example.com` })), 422, /e-?mail/i);
    assert.equal((await raw(url, `/api/v1/accounts/lookup?acct=${a}`)).status, 200, 'lookup finds an account that exists');
    await expectNoAccount(b);
  });

  test('agreement must be accepted (422)', async () => {
    const { rest } = await registrar(main);
    const name = uniqueName('agr');
    await expectHttpError(rest.v1.accounts.create(reg(name, { agreement: false })), 422, /agreement/i);
    await expectNoAccount(name);
  });

  test('a username with bad characters is 422', async () => {
    const { rest } = await registrar(main);
    await expectHttpError(rest.v1.accounts.create(reg('bad name!', { email: 'badname@example.com' })), 422, /username/i);
    // nor was the address taken by a half-made account
    const name = uniqueName('good');
    await rest.v1.accounts.create(reg(name, { email: 'badname@example.com' }));
  });

  test('a blank password is 422', async () => {
    const { rest } = await registrar(main);
    const name = uniqueName('nopw');
    await expectHttpError(rest.v1.accounts.create(reg(name, { password: '' })), 422, /password/i);
    await expectNoAccount(name);
  });

  test('PARTYLINE_REGISTRATIONS=closed refuses sign-ups with an error', async () => {
    const { rest } = await registrar(closed);
    await expectHttpError(
      rest.v1.accounts.create(reg(uniqueName('cl'))),
      [403, 422],
      /regist|closed|sign.?up|not allowed/i,
      'closed registrations',
    );
    const v1 = await restClient(closed.url).v1.instance.fetch();
    assert.equal(v1.registrations, false, '/api/v1/instance registrations is false when closed');
    const v2 = await restClient(closed.url).v2.instance.fetch();
    assert.equal(v2.registrations.enabled, false, '/api/v2/instance registrations.enabled is false when closed');
  });

  test('PARTYLINE_ALLOWED_DOMAINS limits the e-mail domain', async () => {
    const { rest } = await registrar(domains);
    const ok1 = await rest.v1.accounts.create(reg(uniqueName('dm'), {}));
    assert.ok(ok1.accessToken);
    const n = uniqueName('dm');
    const ok2 = await rest.v1.accounts.create(reg(n, { email: `${n}@EXAMPLE.net` }));
    assert.ok(ok2.accessToken, 'domains compare case-insensitively');
    const bad = uniqueName('dm');
    const e = await expectHttpError(
      rest.v1.accounts.create(reg(bad, { email: `${bad}@example.org` })),
      422,
      /e-?mail|domain|provider|not allowed/i,
      'e-mail outside the allowed domains',
    );
    if (e.details?.email) assert.equal(e.details.email[0].error, 'ERR_BLOCKED');
    const sub = uniqueName('dm');
    await expectHttpError(
      rest.v1.accounts.create(reg(sub, { email: `${sub}@evil-example.com` })),
      422,
      /e-?mail|domain|provider|not allowed/i,
      'a domain that merely ends with an allowed one',
    );
  });

  test('PARTYLINE_REGISTRATIONS=approval: sign-up works but the login is pending (403)', async () => {
    const { rest } = await registrar(approval);
    const tok = await rest.v1.accounts.create(reg(uniqueName('ap'), { reason: 'please' }));
    assert.ok(tok.accessToken);
    await expectHttpError(
      restClient(approval.url, tok.accessToken).v1.accounts.verifyCredentials(),
      403,
      /pending|approv/i,
      'verify_credentials before approval',
    );
    const v1 = await restClient(approval.url).v1.instance.fetch();
    assert.equal(v1.approvalRequired, true);
    const v2 = await restClient(approval.url).v2.instance.fetch();
    assert.equal(v2.registrations.enabled, true);
    assert.equal(v2.registrations.approvalRequired, true);
  });
});

describe('credentials and profiles', () => {
  test('verify_credentials returns the account with source', async () => {
    const u = await registerUser(url, uniqueName('vc'));
    const me = await u.client.v1.accounts.verifyCredentials();
    assert.equal(me.id, u.account.id);
    assert.ok(me.source, 'source is present on the own account');
    assert.equal(me.source.privacy, 'public');
    assert.equal(me.source.sensitive, false);
    assert.equal(me.source.note, '');
    assert.deepEqual(me.source.fields, []);
    assert.ok(me.source.language === null || typeof me.source.language === 'string');
  });

  test('update_credentials changes display_name, note, fields, locked, discoverable, source', async () => {
    const u = await registerUser(url, uniqueName('up'));
    const me = await u.client.v1.accounts.updateCredentials({
      displayName: 'Party Person',
      note: 'I like <b>cake</b>\nand tea',
      locked: true,
      discoverable: true,
      fieldsAttributes: [
        { name: 'Pronouns', value: 'they/them' },
        { name: 'Website', value: 'https://example.com/me' },
      ],
      source: { privacy: 'unlisted', sensitive: true, language: 'de' },
    });
    assert.equal(me.displayName, 'Party Person');
    assert.equal(me.locked, true);
    assert.equal(me.discoverable, true);
    // multipart/form-data turns \n into \r\n on the way (as browsers do); either is the same text
    const nl = (t) => t.replace(/\r\n/g, '\n');
    assert.equal(nl(me.source.note), 'I like <b>cake</b>\nand tea', 'source.note is the plain text');
    assert.match(me.note, /^<p>/, 'note is HTML');
    assert.doesNotMatch(me.note, /<b>/, 'user HTML in the note is escaped, never passed through');
    assert.match(me.note, /&lt;b&gt;cake/);
    assert.deepEqual(
      me.source.fields.map((f) => [f.name, f.value]),
      [
        ['Pronouns', 'they/them'],
        ['Website', 'https://example.com/me'],
      ],
    );
    assert.deepEqual(me.fields.map((f) => f.name), ['Pronouns', 'Website']);
    assert.equal(me.fields[0].value, 'they/them');
    assert.match(me.fields[1].value, /href="https:\/\/example\.com\/me"/, 'a link field value is rendered as a link');
    assert.equal(me.source.privacy, 'unlisted');
    assert.equal(me.source.sensitive, true);
    assert.equal(me.source.language, 'de');

    // others see the new profile
    const other = await registerUser(url, uniqueName('up'));
    const seen = await other.client.v1.accounts.$select(u.account.id).fetch();
    assert.equal(seen.displayName, 'Party Person');
    assert.equal(seen.locked, true);
    assert.equal(seen.source, undefined, 'source is only on the own account');
    assert.deepEqual(seen.fields.map((f) => f.name), ['Pronouns', 'Website']);

    // a partial update keeps the rest
    const me2 = await u.client.v1.accounts.updateCredentials({ displayName: 'Renamed' });
    assert.equal(me2.displayName, 'Renamed');
    assert.equal(nl(me2.source.note), 'I like <b>cake</b>\nand tea');
    assert.equal(me2.locked, true);
    assert.equal(me2.fields.length, 2);
  });

  test('default post privacy from source[privacy] applies to new statuses', async () => {
    const u = await registerUser(url, uniqueName('dp'));
    await u.client.v1.accounts.updateCredentials({ source: { privacy: 'private' } });
    const s = await u.client.v1.statuses.create({ status: 'who sees this' });
    assert.equal(s.visibility, 'private');
  });

  test('more than 4 profile fields is 422', async () => {
    const u = await registerUser(url, uniqueName('ff'));
    const fieldsAttributes = Array.from({ length: 5 }, (_, i) => ({ name: `n${i}`, value: `v${i}` }));
    await expectHttpError(u.client.v1.accounts.updateCredentials({ fieldsAttributes, displayName: 'Changed' }), 422, /field/i);
    const me = await u.client.v1.accounts.verifyCredentials();
    assert.deepEqual(me.fields, [], 'no field was stored');
    assert.notEqual(me.displayName, 'Changed', 'nor anything else of the refused update');
  });

  test('update_credentials without a token is 401', async () => {
    await expectHttpError(restClient(url).v1.accounts.updateCredentials({ displayName: 'x' }), 401);
  });

  test('GET /api/v1/accounts/:id, signed in and signed out; unknown id is 404', async () => {
    const u = await registerUser(url, uniqueName('get'));
    const other = await registerUser(url, uniqueName('get'));
    const a = await other.client.v1.accounts.$select(u.account.id).fetch();
    assert.equal(a.id, u.account.id);
    assert.equal(a.username, u.username);
    assert.equal(a.acct, u.username);
    const anon = await restClient(url).v1.accounts.$select(u.account.id).fetch();
    assert.equal(anon.username, u.username);
    await expectHttpError(other.client.v1.accounts.$select('999999999999').fetch(), 404, NOT_FOUND);
  });

  test('lookup?acct= finds by username, case-insensitively; unknown is 404', async () => {
    const u = await registerUser(url, uniqueName('lk'));
    const a = await u.client.v1.accounts.lookup({ acct: u.username });
    assert.equal(a.id, u.account.id);
    const b = await u.client.v1.accounts.lookup({ acct: u.username.toUpperCase() });
    assert.equal(b.id, u.account.id);
    await expectHttpError(u.client.v1.accounts.lookup({ acct: 'no_such_user_here' }), 404, NOT_FOUND);
  });
});

describe('follows and relationships', () => {
  test('follow and unfollow change relationships and counts', async () => {
    const [alice, bob, carol] = await registerUsers(url, ['fa', 'fb', 'fc']);
    const rel = await alice.client.v1.accounts.$select(bob.account.id).follow();
    assert.equal(rel.id, bob.account.id);
    assert.equal(rel.following, true);
    assert.equal(rel.requested, false);
    assert.equal(rel.followedBy, false);
    assert.equal(rel.showingReblogs, true, 'reblogs default to true');

    const rels = await alice.client.v1.accounts.relationships.fetch({ id: [bob.account.id, carol.account.id] });
    assert.deepEqual(rels.map((r) => r.id), [bob.account.id, carol.account.id]);
    assert.equal(rels[0].following, true);
    assert.equal(rels[1].following, false);
    for (const r of rels) {
      for (const k of ['following', 'showingReblogs', 'notifying', 'followedBy', 'blocking', 'blockedBy', 'muting', 'mutingNotifications', 'requested', 'domainBlocking', 'endorsed']) {
        assert.equal(typeof r[k], 'boolean', `relationship.${k} is a boolean`);
      }
    }
    const [back] = await bob.client.v1.accounts.relationships.fetch({ id: [alice.account.id] });
    assert.equal(back.followedBy, true);
    assert.equal(back.following, false);

    assert.equal((await alice.client.v1.accounts.verifyCredentials()).followingCount, 1);
    assert.equal((await carol.client.v1.accounts.$select(bob.account.id).fetch()).followersCount, 1);

    // following again is fine (idempotent) and does not count twice
    await alice.client.v1.accounts.$select(bob.account.id).follow();
    assert.equal((await carol.client.v1.accounts.$select(bob.account.id).fetch()).followersCount, 1);

    const un = await alice.client.v1.accounts.$select(bob.account.id).unfollow();
    assert.equal(un.following, false);
    assert.equal((await alice.client.v1.accounts.verifyCredentials()).followingCount, 0);
    assert.equal((await carol.client.v1.accounts.$select(bob.account.id).fetch()).followersCount, 0);
    // unfollowing again is fine
    const un2 = await alice.client.v1.accounts.$select(bob.account.id).unfollow();
    assert.equal(un2.following, false);
  });

  test('following an unknown account is 404', async () => {
    const u = await registerUser(url, uniqueName('fx'));
    await expectHttpError(u.client.v1.accounts.$select('999999999999').follow(), 404, NOT_FOUND);
  });

  test('follow with notify=true and reblogs=false is reflected in the relationship', async () => {
    const [a, b] = await registerUsers(url, ['fn', 'fn']);
    const rel = await a.client.v1.accounts.$select(b.account.id).follow({ reblogs: false, notify: true });
    assert.equal(rel.following, true);
    assert.equal(rel.showingReblogs, false);
    assert.equal(rel.notifying, true);
  });

  test('relationships needs a user token (401 without)', async () => {
    await expectHttpError(restClient(url).v1.accounts.relationships.fetch({ id: ['1'] }), 401);
  });

  test('followers and following lists page with Link headers', async () => {
    const target = await registerUser(url, uniqueName('ft'));
    const fans = await registerUsers(url, ['f1', 'f2', 'f3', 'f4', 'f5']);
    for (const f of fans) await f.client.v1.accounts.$select(target.account.id).follow();
    await target.client.v1.accounts.$select(fans[0].account.id).follow();

    const first = await raw(url, `/api/v1/accounts/${target.account.id}/followers?limit=2`, { token: fans[0].token });
    assert.equal(first.status, 200);
    assert.equal(first.json.length, 2);
    const link = parseLink(first.headers.get('link'));
    assert.ok(link.next, `a full page has a Link rel="next": ${first.headers.get('link')}`);
    assert.equal(new URL(link.next).pathname, `/api/v1/accounts/${target.account.id}/followers`);

    const all = await collectPages(fans[0].client.v1.accounts.$select(target.account.id).followers.list({ limit: 2 }));
    const ids = all.map((a) => a.id);
    assert.equal(new Set(ids).size, ids.length, 'no account twice across pages');
    assert.deepEqual([...ids].sort(), fans.map((f) => f.account.id).sort());

    const following = await collectPages(fans[1].client.v1.accounts.$select(target.account.id).following.list({ limit: 1 }));
    assert.deepEqual(following.map((a) => a.id), [fans[0].account.id]);
    const fansFollowing = await fans[1].client.v1.accounts.$select(fans[1].account.id).following.list();
    assert.deepEqual(fansFollowing.map((a) => a.id), [target.account.id]);
  });

  test('a limit above the maximum is accepted (capped, not an error)', async () => {
    const u = await registerUser(url, uniqueName('cap'));
    const r = await raw(url, `/api/v1/accounts/${u.account.id}/followers?limit=500`, { token: u.token });
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.json));
  });
});

describe('blocks and mutes', () => {
  test('block removes follows both ways; the blocked cannot follow back (403)', async () => {
    const [alice, bob, watcher] = await registerUsers(url, ['ba', 'bb', 'bw']);
    await alice.client.v1.accounts.$select(bob.account.id).follow();
    await bob.client.v1.accounts.$select(alice.account.id).follow();

    const rel = await alice.client.v1.accounts.$select(bob.account.id).block();
    assert.equal(rel.blocking, true);
    assert.equal(rel.following, false);
    assert.equal(rel.followedBy, false);

    const [bobView] = await bob.client.v1.accounts.relationships.fetch({ id: [alice.account.id] });
    assert.equal(bobView.following, false);
    assert.equal(bobView.followedBy, false);
    assert.equal(bobView.blockedBy, true);

    const a = await watcher.client.v1.accounts.$select(alice.account.id).fetch();
    assert.equal(a.followersCount, 0);
    assert.equal(a.followingCount, 0);

    await expectHttpError(bob.client.v1.accounts.$select(alice.account.id).follow(), 403, /not allowed|block|cannot follow/i, 'blocked user follows');
    await expectHttpError(alice.client.v1.accounts.$select(bob.account.id).follow(), 403, /not allowed|block|cannot follow/i, 'blocker follows');

    const un = await alice.client.v1.accounts.$select(bob.account.id).unblock();
    assert.equal(un.blocking, false);
    assert.equal(un.following, false, 'unblock does not restore follows');
    const again = await bob.client.v1.accounts.$select(alice.account.id).follow();
    assert.equal(again.following, true);
  });

  test('mute and unmute, with and without notifications', async () => {
    const [a, b] = await registerUsers(url, ['ma', 'mb']);
    const r1 = await a.client.v1.accounts.$select(b.account.id).mute();
    assert.equal(r1.muting, true);
    assert.equal(r1.mutingNotifications, true, 'notifications are muted by default');
    const r2 = await a.client.v1.accounts.$select(b.account.id).mute({ notifications: false });
    assert.equal(r2.muting, true);
    assert.equal(r2.mutingNotifications, false);
    const [seen] = await a.client.v1.accounts.relationships.fetch({ id: [b.account.id] });
    assert.equal(seen.muting, true);
    const [other] = await b.client.v1.accounts.relationships.fetch({ id: [a.account.id] });
    assert.equal(other.muting, false, 'the muted account does not see the mute');
    const r3 = await a.client.v1.accounts.$select(b.account.id).unmute();
    assert.equal(r3.muting, false);
    assert.equal(r3.mutingNotifications, false);
  });

  test('a mute duration beyond max_mute_duration, negative or not a number is 422, and no mute is made', async () => {
    const [a, b] = await registerUsers(url, ['md', 'me']);
    const YEAR = 31536000; // the default max_mute_duration
    const mute = (duration) => raw(url, `/api/v1/accounts/${b.account.id}/mute`, { method: 'POST', token: a.token, json: { duration } });
    for (const duration of [YEAR + 1, 2 ** 62, '9223372036854775807', '99999999999999999999999', -1, '-9223372036854775808', 'soon', 1.5]) {
      const r = await mute(duration);
      assert.equal(r.status, 422, `duration ${duration}: ${r.text}`);
      assert.match(r.json?.error ?? '', /duration/i, `duration ${duration}: the error says what was wrong`);
      const [rel] = await a.client.v1.accounts.relationships.fetch({ id: [b.account.id] });
      assert.equal(rel.muting, false, `duration ${duration}: nothing was stored`);
    }
    const atMax = await mute(YEAR);
    assert.equal(atMax.status, 200, atMax.text);
    assert.equal(atMax.json.muting, true);
    const listed = await raw(url, '/api/v1/mutes', { token: a.token });
    assert.deepEqual(listed.json.map((x) => x.id), [b.account.id], 'a mute of a year holds');
  });
});

describe('GET /api/v1/accounts/:id/statuses', () => {
  test('lists the account\'s statuses newest first, with exclude_replies, only_media, pinned', async () => {
    const [u, other] = await registerUsers(url, ['as', 'ao']);
    const theirs = await other.client.v1.statuses.create({ status: 'theirs' });
    const s1 = await u.client.v1.statuses.create({ status: 'one' });
    const self = await u.client.v1.statuses.create({ status: 'self reply', inReplyToId: s1.id });
    const reply = await u.client.v1.statuses.create({ status: `@${other.username} a reply`, inReplyToId: theirs.id });
    const s2 = await u.client.v1.statuses.create({ status: 'two' });

    const all = await other.client.v1.accounts.$select(u.account.id).statuses.list();
    assert.deepEqual(all.map((s) => s.id), [s2.id, reply.id, self.id, s1.id]);
    assertNewestFirst(all.map((s) => s.id));
    for (const s of all) assert.equal(s.account.id, u.account.id);

    const noReplies = await other.client.v1.accounts.$select(u.account.id).statuses.list({ excludeReplies: true });
    assert.deepEqual(
      noReplies.map((s) => s.id),
      [s2.id, self.id, s1.id],
      'exclude_replies filters replies to a different account only (a self-reply stays)',
    );

    const notPinned = await other.client.v1.accounts.$select(u.account.id).statuses.list({ pinned: false });
    assert.deepEqual(notPinned.map((s) => s.id), all.map((s) => s.id), 'pinned=false includes all statuses');

    const r = await raw(url, `/api/v1/accounts/${u.account.id}/statuses?only_media=true`, { token: other.token });
    assert.equal(r.status, 200, 'only_media is accepted');
    assert.ok(Array.isArray(r.json));

    const paged = await other.client.v1.accounts.$select(u.account.id).statuses.list({ limit: 2 });
    assert.deepEqual(paged.map((s) => s.id), [s2.id, reply.id]);
    const older = await other.client.v1.accounts.$select(u.account.id).statuses.list({ maxId: reply.id });
    assert.deepEqual(older.map((s) => s.id), [self.id, s1.id]);

    const counted = await other.client.v1.accounts.$select(u.account.id).fetch();
    assert.equal(counted.statusesCount, 4);
  });

  test('an unknown account is 404', async () => {
    const u = await registerUser(url, uniqueName('ax'));
    await expectHttpError(u.client.v1.accounts.$select('999999999999').statuses.list(), 404, NOT_FOUND);
  });
});
