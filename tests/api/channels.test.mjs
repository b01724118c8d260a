// Channels (our extension, docs/api.md#channels): group accounts people join; posts shared to
// a channel reach its members' home feeds by merge on read; private channels need approval
// and show their posts to members only, on every read path; roles, moderation, pins, and the
// everyone channel.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  binaryPath, createApp, expectHttpError, NOT_FOUND, passwordLogin, raw, registerUsers, restClient, startServer, uniqueName, METRICS_TOKEN,
} from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer({ env: { PARTYLINE_MAX_CHANNEL_PINS: '2' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const CH = '/api/v1/partyline/channels';

/** Calls our API as a person; asserts the status and returns the JSON. */
async function call(who, method, path, { json, status = 200 } = {}) {
  const r = await raw(url, path, { method, token: who.token, json });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  if (status >= 400) assert.equal(typeof r.json?.error, 'string', 'errors are {"error": "..."}');
  return r.json;
}

async function makeChannel(owner, opts = {}) {
  return call(owner, 'POST', CH, { json: { name: uniqueName('ch'), display_name: 'A channel', ...opts } });
}

const ids = (list) => list.map((s) => s.id);

describe('a public channel', () => {
  test('is a group account its creator owns; joining through Mastodon follow or /join', async () => {
    const [owner, a, b] = await registerUsers(url, ['own', 'a', 'b']);
    const ch = await makeChannel(owner, { note: 'Marketing news' });
    assert.equal(ch.private, false);
    assert.equal(ch.role, 'owner');
    assert.equal(ch.member, true);
    assert.equal(ch.members_count, 1);
    assert.equal(ch.posting, 'members');
    assert.equal(ch.account.group, true);
    assert.match(ch.note, /Marketing news/);

    const acc = await a.client.v1.accounts.$select(ch.id).fetch();
    assert.equal(acc.group, true);
    const rel = await a.client.v1.accounts.$select(ch.id).follow(); // a Mastodon app joins
    assert.equal(rel.following, true);
    const joined = await call(b, 'POST', `${CH}/${ch.id}/join`);
    assert.equal(joined.member, true);
    assert.equal(joined.role, 'member');
    const seen = await call(owner, 'GET', `${CH}/${ch.id}`);
    assert.equal(seen.members_count, 3);
    const members = await call(a, 'GET', `${CH}/${ch.id}/members`);
    assert.deepEqual(members.map((m) => m.account.id).sort(), [owner, a, b].map((p) => p.account.id).sort());
    assert.equal(members.find((m) => m.account.id === owner.account.id).role, 'owner');
    const mine = await call(a, 'GET', `${CH}?member=true`);
    assert.ok(mine.some((c) => c.id === ch.id));
    const left = await call(b, 'POST', `${CH}/${ch.id}/leave`);
    assert.equal(left.member, false);
  });

  test("a post shared to it reaches members' home feeds, its timeline and the group's profile", async () => {
    const [owner, member, outsider] = await registerUsers(url, ['own', 'mem', 'out']);
    const ch = await makeChannel(owner);
    await call(member, 'POST', `${CH}/${ch.id}/join`);
    const post = await owner.client.v1.statuses.create({ status: 'launch on Monday', channelId: ch.id });
    assert.equal(post.partyline.channel_id ?? post.partyline.channelId, ch.id);

    const home = await member.client.v1.timelines.home.list();
    assert.ok(ids(home).includes(post.id), 'a member who does not follow the author gets it at home');
    const outHome = await outsider.client.v1.timelines.home.list();
    assert.ok(!ids(outHome).includes(post.id), 'a non-member does not');
    const tl = await call(outsider, 'GET', `${CH}/${ch.id}/timeline`);
    assert.deepEqual(ids(tl), [post.id], 'a public channel can be read by anyone in the company');
    const profile = await member.client.v1.accounts.$select(ch.id).statuses.list();
    assert.deepEqual(ids(profile), [post.id]);
    // a reply stays in the channel
    const reply = await member.client.v1.statuses.create({ status: 'great', inReplyToId: post.id });
    assert.equal(reply.partyline.channel_id ?? reply.partyline.channelId, ch.id);
    // mentioning the channel shares to it
    const byMention = await member.client.v1.statuses.create({ status: `hello @${ch.name}` });
    assert.equal(byMention.partyline.channel_id ?? byMention.partyline.channelId, ch.id);
    const tl2 = await call(owner, 'GET', `${CH}/${ch.id}/timeline`);
    assert.deepEqual(ids(tl2), [byMention.id, reply.id, post.id]);
  });

  test('posting costs the same with many members: no feed rows are written per member', async () => {
    const [owner] = await registerUsers(url, ['own']);
    const ch = await makeChannel(owner);
    const people = await registerUsers(url, Array.from({ length: 12 }, () => 'm'));
    for (const p of people) await call(p, 'POST', `${CH}/${ch.id}/join`);
    const metric = async () => Number((await raw(url, '/metrics', { token: METRICS_TOKEN })).text.match(/^partyline_fanout_rows_total (\d+)$/m)[1]);
    const before = await metric();
    const post = await owner.client.v1.statuses.create({ status: 'to twelve people', channelId: ch.id });
    assert.ok((await metric()) - before <= 1, 'at most the author\'s own feed row');
    for (const p of people.slice(0, 3)) {
      const home = await p.client.v1.timelines.home.list();
      assert.ok(ids(home).includes(post.id));
    }
  });
});

describe('a private channel', () => {
  async function privateWorld() {
    const [owner, member, outsider] = await registerUsers(url, ['own', 'mem', 'out']);
    const ch = await makeChannel(owner, { private: true });
    const asked = await call(member, 'POST', `${CH}/${ch.id}/join`);
    assert.equal(asked.member, false);
    assert.equal(asked.requested, true);
    return { owner, member, outsider, ch };
  }

  test('joining waits for a moderator, who sees and answers the requests', async () => {
    const { owner, member, outsider, ch } = await privateWorld();
    const view = await call(owner, 'GET', `${CH}/${ch.id}`);
    assert.equal(view.requests_count, 1);
    const reqs = await call(owner, 'GET', `${CH}/${ch.id}/requests`);
    assert.deepEqual(reqs.map((a) => a.id), [member.account.id]);
    await call(outsider, 'GET', `${CH}/${ch.id}/requests`, { status: 403 });
    await call(outsider, 'POST', `${CH}/${ch.id}/requests/${member.account.id}/authorize`, { status: 403 });
    const after = await call(owner, 'POST', `${CH}/${ch.id}/requests/${member.account.id}/authorize`);
    assert.equal(after.members_count, 2);
    assert.equal((await call(member, 'GET', `${CH}/${ch.id}`)).member, true);
    // a Mastodon app's follow of a private channel is a request too
    const rel = await outsider.client.v1.accounts.$select(ch.id).follow();
    assert.equal(rel.requested, true);
    await call(owner, 'POST', `${CH}/${ch.id}/requests/${outsider.account.id}/reject`);
    assert.equal((await call(outsider, 'GET', `${CH}/${ch.id}`)).requested, false);
  });

  test('its posts are seen by members only, on every read path', async () => {
    const { owner, member, outsider, ch } = await privateWorld();
    await call(owner, 'POST', `${CH}/${ch.id}/requests/${member.account.id}/authorize`);
    // the outsider follows the author: still nothing from the private channel
    await outsider.client.v1.accounts.$select(owner.account.id).follow();
    const post = await owner.client.v1.statuses.create({
      status: `secret plan #launch @${outsider.username}`, channelId: ch.id, visibility: 'public',
    });
    assert.equal(post.visibility, 'private', 'apps see a members-only post as private-like');
    assert.equal(post.partyline.audience, 'company');

    assert.equal((await member.client.v1.statuses.$select(post.id).fetch()).id, post.id);
    assert.ok(ids(await member.client.v1.timelines.home.list()).includes(post.id));

    await expectHttpError(outsider.client.v1.statuses.$select(post.id).fetch(), 404, NOT_FOUND);
    assert.ok(!ids(await outsider.client.v1.timelines.home.list()).includes(post.id), 'home');
    assert.ok(!ids(await outsider.client.v1.timelines.public.list()).includes(post.id), 'public');
    assert.ok(!ids(await outsider.client.v1.timelines.tag.$select('launch').list()).includes(post.id), 'tag');
    assert.ok(!ids(await outsider.client.v1.accounts.$select(owner.account.id).statuses.list()).includes(post.id), 'profile');
    await call(outsider, 'GET', `${CH}/${ch.id}/timeline`, { status: 404 }); // as a post they may not see
    await call(outsider, 'GET', `${CH}/${ch.id}/pins`, { status: 404 });
    assert.deepEqual(ids(await call(member, 'GET', `${CH}/${ch.id}/timeline`)), [post.id]);
    assert.deepEqual(await call(member, 'GET', `${CH}/${ch.id}/pins`), []);
    assert.deepEqual(await outsider.client.v1.accounts.$select(ch.id).statuses.list(), [], 'group profile');
    const notes = await outsider.client.v1.notifications.list();
    assert.ok(!notes.some((n) => n.status?.id === post.id), 'no mention notification');
    await expectHttpError(outsider.client.v1.statuses.$select(post.id).favourite(), 404, NOT_FOUND);
    await expectHttpError(outsider.client.v1.statuses.$select(post.id).context.fetch(), 404, NOT_FOUND);
    await call(outsider, 'GET', `${CH}/${ch.id}/members`, { status: 403 });
    // the member list through Mastodon's followers too
    await expectHttpError(outsider.client.v1.accounts.$select(ch.id).followers.list(), 403, /members/);

    // a member's reply stays members-only, whatever visibility the app sent
    const reply = await member.client.v1.statuses.create({ status: 'agreed', inReplyToId: post.id, visibility: 'public' });
    await expectHttpError(outsider.client.v1.statuses.$select(reply.id).fetch(), 404, NOT_FOUND);
    const ctx = await member.client.v1.statuses.$select(post.id).context.fetch();
    assert.deepEqual(ids(ctx.descendants), [reply.id]);
    // boosting would carry it out: refused
    await expectHttpError(member.client.v1.statuses.$select(post.id).reblog(), [403, 422]);
  });
});

describe('posting rules, roles and moderation', () => {
  test('only members post; announcement channels take posts from moderators; no direct posts', async () => {
    const [owner, member, outsider] = await registerUsers(url, ['own', 'mem', 'out']);
    const ch = await makeChannel(owner, { posting: 'moderators' });
    await call(member, 'POST', `${CH}/${ch.id}/join`);
    await expectHttpError(outsider.client.v1.statuses.create({ status: 'hi', channelId: ch.id }), 403, /join/i);
    await expectHttpError(member.client.v1.statuses.create({ status: 'hi', channelId: ch.id }), 403, /moderators/i);
    await expectHttpError(owner.client.v1.statuses.create({ status: 'hi', channelId: ch.id, visibility: 'direct' }), 422, /direct/i);
    await expectHttpError(owner.client.v1.statuses.create({ status: 'hi', channelId: '12345' }), 422, /not a channel/i);
    await call(owner, 'PUT', `${CH}/${ch.id}/members/${member.account.id}`, { json: { role: 'moderator' } });
    const ok = await member.client.v1.statuses.create({ status: 'announcement', channelId: ch.id });
    assert.equal(ok.partyline.channel_id ?? ok.partyline.channelId, ch.id);
    await call(member, 'PATCH', `${CH}/${ch.id}`, { json: { display_name: 'Renamed' } });
    await call(member, 'PATCH', `${CH}/${ch.id}`, { json: { private: true }, status: 403 });
    await call(owner, 'PATCH', `${CH}/${ch.id}`, { json: { posting: 'sometimes' }, status: 422 });
  });

  test('a moderator removes a post (its author and moderators still see it) and a member', async () => {
    const [owner, mod, member, reader] = await registerUsers(url, ['own', 'mod', 'mem', 'rd']);
    const ch = await makeChannel(owner);
    for (const p of [mod, member, reader]) await call(p, 'POST', `${CH}/${ch.id}/join`);
    await call(owner, 'PUT', `${CH}/${ch.id}/members/${mod.account.id}`, { json: { role: 'moderator' } });
    const post = await member.client.v1.statuses.create({ status: 'off topic', channelId: ch.id });
    assert.ok(ids(await reader.client.v1.timelines.home.list()).includes(post.id));
    await call(member, 'DELETE', `${CH}/${ch.id}/statuses/${post.id}`, { status: 403 });
    await call(mod, 'DELETE', `${CH}/${ch.id}/statuses/${post.id}`);
    assert.deepEqual(await call(reader, 'GET', `${CH}/${ch.id}/timeline`), []);
    assert.ok(!ids(await reader.client.v1.timelines.home.list()).includes(post.id));
    await expectHttpError(reader.client.v1.statuses.$select(post.id).fetch(), 404, NOT_FOUND);
    assert.equal((await member.client.v1.statuses.$select(post.id).fetch()).id, post.id, 'its author');
    assert.equal((await mod.client.v1.statuses.$select(post.id).fetch()).id, post.id, 'a moderator');

    await call(mod, 'DELETE', `${CH}/${ch.id}/members/${owner.account.id}`, { status: 403 });
    await call(mod, 'DELETE', `${CH}/${ch.id}/members/${member.account.id}`);
    assert.equal((await call(member, 'GET', `${CH}/${ch.id}`)).member, false);
  });

  test('the last owner stays; roles are the owners\' to give', async () => {
    const [owner, member] = await registerUsers(url, ['own', 'mem']);
    const ch = await makeChannel(owner);
    await call(member, 'POST', `${CH}/${ch.id}/join`);
    await call(owner, 'POST', `${CH}/${ch.id}/leave`, { status: 422 });
    await call(owner, 'PUT', `${CH}/${ch.id}/members/${owner.account.id}`, { json: { role: 'member' }, status: 422 });
    await call(member, 'PUT', `${CH}/${ch.id}/members/${member.account.id}`, { json: { role: 'owner' }, status: 403 });
    await call(owner, 'PUT', `${CH}/${ch.id}/members/${member.account.id}`, { json: { role: 'boss' }, status: 422 });
    await call(owner, 'PUT', `${CH}/${ch.id}/members/${member.account.id}`, { json: { role: 'owner' } });
    const left = await call(owner, 'POST', `${CH}/${ch.id}/leave`);
    assert.equal(left.member, false);
  });

  test('pinned announcements: moderators pin, everyone who may see reads them, within the limit', async () => {
    const [owner, reader] = await registerUsers(url, ['own', 'rd']);
    const ch = await makeChannel(owner);
    const posts = [];
    for (let i = 0; i < 3; i++) posts.push(await owner.client.v1.statuses.create({ status: `news ${i}`, channelId: ch.id }));
    await call(reader, 'POST', `${CH}/${ch.id}/pins/${posts[0].id}`, { status: 403 });
    await call(owner, 'POST', `${CH}/${ch.id}/pins/${posts[0].id}`);
    await call(owner, 'POST', `${CH}/${ch.id}/pins/${posts[1].id}`);
    await call(owner, 'POST', `${CH}/${ch.id}/pins/${posts[1].id}`); // again: no change
    const err = await call(owner, 'POST', `${CH}/${ch.id}/pins/${posts[2].id}`, { status: 422 });
    assert.match(err.error, /at most 2/);
    assert.deepEqual(ids(await call(reader, 'GET', `${CH}/${ch.id}/pins`)), [posts[1].id, posts[0].id]);
    // Mastodon apps read them as the group account's pinned statuses
    assert.deepEqual(ids(await reader.client.v1.accounts.$select(ch.id).statuses.list({ pinned: true })), [posts[1].id, posts[0].id]);
    await call(owner, 'DELETE', `${CH}/${ch.id}/pins/${posts[1].id}`);
    assert.deepEqual(ids(await call(reader, 'GET', `${CH}/${ch.id}/pins`)), [posts[0].id]);
    const [, other] = [null, await makeChannel(owner)];
    await call(owner, 'POST', `${CH}/${other.id}/pins/${posts[2].id}`, { status: 404 });
  });

  test('names are validated and unique among accounts', async () => {
    const [owner] = await registerUsers(url, ['own']);
    await call(owner, 'POST', CH, { json: { name: 'no spaces here' }, status: 422 });
    await call(owner, 'POST', CH, { json: { name: owner.username }, status: 422 });
    await call(owner, 'POST', CH, { json: { name: uniqueName('c'), private: 'maybe' }, status: 422 });
    await call(owner, 'POST', CH, { json: { name: uniqueName('c'), note: 'x'.repeat(600) }, status: 422 });
  });
});

test('the everyone channel has every account in it', async () => {
  const [poster, newcomer] = await registerUsers(url, ['pst', 'new']);
  const all = await call(newcomer, 'GET', `${CH}?member=true`);
  const everyone = all.find((c) => c.everyone);
  assert.ok(everyone, 'a newcomer is in the everyone channel');
  assert.equal(everyone.name, 'everyone');
  assert.equal(everyone.member, true);
  assert.ok(everyone.members_count >= 2);
  const post = await poster.client.v1.statuses.create({ status: 'hello company', channelId: everyone.id });
  assert.ok(ids(await newcomer.client.v1.timelines.home.list()).includes(post.id));
  await call(newcomer, 'POST', `${CH}/${everyone.id}/leave`, { status: 422 });
});

test('the everyone channel counts the people as the instance does, and the directory counts each channel', async () => {
  // the counts are running totals (issue 10, item 29): each change shows in the next read
  const everyoneOf = async (who) => (await call(who, 'GET', `${CH}?member=true&limit=80`)).find((c) => c.everyone);
  const users = async () => (await raw(url, '/api/v1/instance')).json.stats.user_count;
  const [viewer, owner] = await registerUsers(url, ['cnt', 'cown']);
  const ev = await everyoneOf(viewer);
  assert.equal(ev.members_count, await users());
  assert.equal((await call(viewer, 'GET', `${CH}/${ev.id}`)).members_count, ev.members_count);
  const ch = await makeChannel(owner);
  assert.equal((await call(viewer, 'GET', `${CH}/${ev.id}`)).members_count, ev.members_count, 'a channel is no member');
  await registerUsers(url, ['cnew']);
  assert.equal((await call(viewer, 'GET', `${CH}/${ev.id}`)).members_count, ev.members_count + 1);
  assert.equal(await users(), ev.members_count + 1);
  await call(viewer, 'POST', `${CH}/${ch.id}/join`);
  const dir = await call(viewer, 'GET', `${CH}?limit=80`);
  assert.equal(dir.find((c) => c.id === ch.id).members_count, 2);
  assert.equal(dir.find((c) => c.everyone).members_count, ev.members_count + 1);
  const ids = dir.map((c) => BigInt(c.id));
  assert.deepEqual(ids, [...ids].sort((x, y) => (x < y ? 1 : x > y ? -1 : 0)), 'newest first');
});

/** A company administrator made with `partyline admin create-user --admin`, signed in. */
async function makeAdmin() {
  const name = uniqueName('adm');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
  Object.assign(env, server.cliEnv);
  await promisify(execFile)(binaryPath(), ['admin', 'create-user', '--data', server.dataDir, '--username', name,
    '--email', `${name}@example.com`, '--password', 'long enough pw', '--admin'], { env });
  const tok = await passwordLogin(url, await createApp(url), `${name}@example.com`, 'long enough pw');
  const client = restClient(url, tok.accessToken);
  return { client, token: tok.accessToken, account: await client.v1.accounts.verifyCredentials(), username: name };
}

describe('who is in a private channel is told to its members only', () => {
  test("a member's following list shows a private channel to its members and the member, not to others", async () => {
    const [owner, member, outsider] = await registerUsers(url, ['own', 'mem', 'out']);
    const secret = await makeChannel(owner, { private: true });
    const open = await makeChannel(owner);
    await call(member, 'POST', `${CH}/${secret.id}/join`);
    await call(owner, 'POST', `${CH}/${secret.id}/requests/${member.account.id}/authorize`);
    await call(member, 'POST', `${CH}/${open.id}/join`);
    await member.client.v1.accounts.$select(outsider.account.id).follow();

    const following = async (who, whose) => ids(await who.client.v1.accounts.$select(whose.account.id).following.list());
    const outsiderSees = await following(outsider, member);
    assert.ok(!outsiderSees.includes(secret.id), 'an outsider does not see the private channel');
    assert.ok(outsiderSees.includes(open.id), 'a public channel is no secret');
    assert.ok(outsiderSees.includes(outsider.account.id), 'people followed are listed');
    assert.ok(!(await following(outsider, owner)).includes(secret.id), "nor in its owner's list");
    assert.ok((await following(member, member)).includes(secret.id), 'the member sees their own');
    assert.ok((await following(owner, member)).includes(secret.id), 'another member sees it');
    // pages stay full: the hidden row is skipped in the query, not after it
    const page = await outsider.client.v1.accounts.$select(member.account.id).following.list({ limit: 2 });
    assert.equal(page.length, 2);
    assert.ok(!ids(page).includes(secret.id));
    // the channel's own followers are its members: not listed to outsiders
    await expectHttpError(outsider.client.v1.accounts.$select(secret.id).followers.list(), 403, /members/);
    // a relationship tells only the viewer's own follow
    const [rel] = await outsider.client.v1.accounts.relationships.fetch({ id: [secret.id] });
    assert.equal(rel.following, false);
    assert.equal(rel.followedBy, false);
  });

  test("following_count, as anyone sees it, counts no private channel: an outsider's count is the length of the list they see", async () => {
    const [owner, member, outsider] = await registerUsers(url, ['fco', 'fcm', 'fcx']);
    const secret = await makeChannel(owner, { private: true });
    const open = await makeChannel(owner);
    await call(member, 'POST', `${CH}/${secret.id}/join`);
    await call(owner, 'POST', `${CH}/${secret.id}/requests/${member.account.id}/authorize`);
    await call(member, 'POST', `${CH}/${open.id}/join`);
    await member.client.v1.accounts.$select(outsider.account.id).follow();
    const listed = async (who) => (await who.client.v1.accounts.$select(member.account.id).following.list({ limit: 80 })).length;
    const counted = async (who) => (await call(who, 'GET', `/api/v1/accounts/${member.account.id}`)).following_count;
    assert.equal(await counted(outsider), await listed(outsider), 'the outsider: count = list');
    assert.equal(await counted(owner), await counted(outsider), 'the same number for everyone (the entity is cached)');
    assert.equal(await listed(owner), (await listed(outsider)) + 1, 'a fellow member lists the private channel, uncounted');
    // the person's own verify_credentials counts everything they follow, as their own list shows
    const me = await call(member, 'GET', '/api/v1/accounts/verify_credentials');
    assert.equal(me.following_count, await listed(member));
    // a channel that turns private leaves every member's count at once (cached copies too)
    await call(owner, 'PATCH', `${CH}/${open.id}`, { json: { private: true } });
    assert.equal(await counted(outsider), await listed(outsider), 'after the channel turned private');
    await call(owner, 'PATCH', `${CH}/${open.id}`, { json: { private: false } });
    assert.equal(await counted(outsider), await listed(outsider), 'and open again');
  });
});

describe('roles do not go up by removal (a moderator acts only on members)', () => {
  test('a moderator removes members only: not another moderator, an owner or a company administrator', async () => {
    const [owner, mod, mod2, member] = await registerUsers(url, ['own', 'mod', 'mod', 'mem']);
    const admin = await makeAdmin();
    const ch = await makeChannel(owner);
    for (const p of [mod, mod2, member, admin]) await call(p, 'POST', `${CH}/${ch.id}/join`);
    for (const p of [mod, mod2]) await call(owner, 'PUT', `${CH}/${ch.id}/members/${p.account.id}`, { json: { role: 'moderator' } });

    const err = await call(mod, 'DELETE', `${CH}/${ch.id}/members/${admin.account.id}`, { status: 403 });
    assert.match(err.error, /below your own role/);
    await call(mod, 'DELETE', `${CH}/${ch.id}/members/${mod2.account.id}`, { status: 403 });
    await call(mod, 'DELETE', `${CH}/${ch.id}/members/${owner.account.id}`, { status: 403 });
    assert.equal((await call(admin, 'GET', `${CH}/${ch.id}`)).member, true, 'the administrator is still in');
    await call(mod, 'DELETE', `${CH}/${ch.id}/members/${member.account.id}`);
    // an owner removes a moderator; the administrator (an owner of every channel) removes one too
    await call(owner, 'DELETE', `${CH}/${ch.id}/members/${mod2.account.id}`);
    await call(admin, 'DELETE', `${CH}/${ch.id}/members/${mod.account.id}`);
    const left = await call(mod, 'GET', `${CH}/${ch.id}`);
    assert.equal(left.member, false);
    assert.equal(left.role, null);
  });
});

describe('leaving is leaving, by any door', () => {
  const unfollow = (who, ch) => who.client.v1.accounts.$select(ch.id).unfollow();

  test('a moderator who unfollows a private channel through Mastodon loses the role and the access', async () => {
    const [owner, mod, asker] = await registerUsers(url, ['own', 'mod', 'ask']);
    const ch = await makeChannel(owner, { private: true });
    await call(mod, 'POST', `${CH}/${ch.id}/join`);
    await call(owner, 'POST', `${CH}/${ch.id}/requests/${mod.account.id}/authorize`);
    await call(owner, 'PUT', `${CH}/${ch.id}/members/${mod.account.id}`, { json: { role: 'moderator' } });
    const post = await owner.client.v1.statuses.create({ status: 'members only', channelId: ch.id });
    await call(asker, 'POST', `${CH}/${ch.id}/join`);

    const rel = await unfollow(mod, ch);
    assert.equal(rel.following, false);
    const seen = await call(mod, 'GET', `${CH}/${ch.id}`);
    assert.equal(seen.member, false);
    assert.equal(seen.role, null);
    await expectHttpError(mod.client.v1.statuses.$select(post.id).fetch(), 404, NOT_FOUND);
    await call(mod, 'GET', `${CH}/${ch.id}/timeline`, { status: 404 });
    await call(mod, 'GET', `${CH}/${ch.id}/members`, { status: 403 });
    await call(mod, 'GET', `${CH}/${ch.id}/requests`, { status: 403 });
    await call(mod, 'POST', `${CH}/${ch.id}/requests/${asker.account.id}/authorize`, { status: 403 });
    await call(mod, 'DELETE', `${CH}/${ch.id}/statuses/${post.id}`, { status: 403 });
    const members = await call(owner, 'GET', `${CH}/${ch.id}/members`);
    assert.deepEqual(members.map((m) => m.account.id), [owner.account.id]);
    // coming back is joining again: a request, and then a member without the old role
    await call(mod, 'POST', `${CH}/${ch.id}/join`);
    await call(owner, 'POST', `${CH}/${ch.id}/requests/${mod.account.id}/authorize`);
    assert.equal((await call(mod, 'GET', `${CH}/${ch.id}`)).role, 'member');
  });

  test('the only owner cannot leave by unfollowing or blocking; a second owner can, and loses the role', async () => {
    const [owner, second, member] = await registerUsers(url, ['own', 'sec', 'mem']);
    const ch = await makeChannel(owner);
    await call(second, 'POST', `${CH}/${ch.id}/join`);
    await call(member, 'POST', `${CH}/${ch.id}/join`);
    const lone = /only owner/;
    await expectHttpError(unfollow(owner, ch), 422, lone);
    await expectHttpError(owner.client.v1.accounts.$select(ch.id).block(), 422, lone);
    const still = await call(owner, 'GET', `${CH}/${ch.id}`);
    assert.equal(still.role, 'owner');
    assert.equal(still.member, true);
    const [rel] = await owner.client.v1.accounts.relationships.fetch({ id: [ch.id] });
    assert.equal(rel.blocking, false, 'nothing half-written');

    await call(owner, 'PUT', `${CH}/${ch.id}/members/${second.account.id}`, { json: { role: 'owner' } });
    await unfollow(second, ch);
    assert.equal((await call(second, 'GET', `${CH}/${ch.id}`)).role, null);
    // now the first is the only owner again
    await expectHttpError(unfollow(owner, ch), 422, lone);
    // a member who blocks the channel leaves it
    await member.client.v1.accounts.$select(ch.id).block();
    assert.equal((await call(member, 'GET', `${CH}/${ch.id}`)).member, false);
  });
});

describe('changing a channel answers with what it is now', () => {
  test('PATCH private answers the new private, posting and locked together', async () => {
    const [owner] = await registerUsers(url, ['own']);
    const ch = await makeChannel(owner);
    const closed = await call(owner, 'PATCH', `${CH}/${ch.id}`, { json: { private: true, posting: 'moderators' } });
    assert.equal(closed.private, true);
    assert.equal(closed.posting, 'moderators');
    assert.equal(closed.account.locked, true);
    const opened = await call(owner, 'PATCH', `${CH}/${ch.id}`, { json: { private: false, posting: 'members' } });
    assert.equal(opened.private, false);
    assert.equal(opened.posting, 'members');
    assert.equal(opened.account.locked, false);
  });
});

describe('how a post fits its channel', () => {
  test('followers-only in a public channel becomes company; public and unlisted stay', async () => {
    const [owner, outsider] = await registerUsers(url, ['own', 'out']);
    const ch = await makeChannel(owner);
    const audience = (s) => s.partyline.audience;
    const followers = await owner.client.v1.statuses.create({ status: 'for the channel', channelId: ch.id, visibility: 'private' });
    assert.equal(audience(followers), 'company');
    assert.equal((await outsider.client.v1.statuses.$select(followers.id).fetch()).id, followers.id,
      'anyone signed in reads a public channel');
    const pub = await owner.client.v1.statuses.create({ status: 'public one', channelId: ch.id, visibility: 'public' });
    assert.equal(audience(pub), 'public');
    const unl = await owner.client.v1.statuses.create({ status: 'unlisted one', channelId: ch.id, visibility: 'unlisted' });
    assert.equal(audience(unl), 'unlisted');
    const co = await owner.client.v1.statuses.create({ status: 'company one', channelId: ch.id, visibility: 'company' });
    assert.equal(audience(co), 'company');
  });
});

describe("an administrator's powers are not membership (issue 13, item 5)", () => {
  test('an administrator sees every channel either as theirs or to browse, and can still moderate', async () => {
    const [owner, asker] = await registerUsers(url, ['own', 'ask']);
    const admin = await makeAdmin();
    const open = await makeChannel(owner);
    const secret = await makeChannel(owner, { private: true });
    const joined = await makeChannel(owner);
    await call(admin, 'POST', `${CH}/${joined.id}/join`);

    const all = await call(admin, 'GET', `${CH}?limit=80`);
    const mine = ids(await call(admin, 'GET', `${CH}?member=true&limit=80`));
    const browse = ids(all.filter((c) => !c.member));
    for (const c of all) {
      assert.ok(mine.includes(c.id) !== browse.includes(c.id), `${c.name} is either theirs or to browse`);
    }
    for (const ch of [open, secret]) {
      const seen = await call(admin, 'GET', `${CH}/${ch.id}`);
      assert.equal(seen.member, false, 'not a member until they join');
      assert.equal(seen.role, null);
      assert.equal(seen.can_moderate, true, 'an administrator moderates every channel');
      assert.ok(browse.includes(ch.id));
    }
    const theirs = await call(admin, 'GET', `${CH}/${joined.id}`);
    assert.equal(theirs.member, true);
    assert.equal(theirs.role, 'owner', 'a member administrator is an owner');
    assert.ok(mine.includes(joined.id));
    assert.equal((await call(asker, 'GET', `${CH}/${open.id}`)).can_moderate, false);
    assert.equal((await call(owner, 'GET', `${CH}/${open.id}`)).can_moderate, true);

    // moderating without being a member: the requests of a private channel
    await call(asker, 'POST', `${CH}/${secret.id}/join`);
    assert.equal((await call(admin, 'GET', `${CH}/${secret.id}`)).requests_count, 1);
    await call(admin, 'POST', `${CH}/${secret.id}/requests/${asker.account.id}/authorize`);
    // an administrator joins a private channel at once (they could approve themselves)
    const now = await call(admin, 'POST', `${CH}/${secret.id}/join`);
    assert.equal(now.member, true);
    assert.equal(now.requested, false);
    assert.ok(ids(await call(admin, 'GET', `${CH}?member=true&limit=80`)).includes(secret.id));
  });
});
