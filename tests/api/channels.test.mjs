// Channels (our extension, docs/api.md#channels): group accounts people join; posts shared to
// a channel reach its members' home feeds by merge on read; private channels need approval
// and show their posts to members only, on every read path; roles, moderation, pins, and the
// everyone channel.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, NOT_FOUND, raw, registerUsers, startServer, uniqueName, METRICS_TOKEN } from './harness.mjs';

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
    assert.deepEqual(await call(outsider, 'GET', `${CH}/${ch.id}/timeline`), [], 'channel timeline');
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
