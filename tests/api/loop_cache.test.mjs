// What each event loop keeps between requests (issue 17) is never stale. The company's
// candidates of every home feed's merge — its big accounts and channels — are the same for
// everyone and kept: an author who becomes big (their posts no longer fanned out to followers'
// feeds) and a channel made after the loop read them are merged at once. A post's record is
// kept with whether it is a ticket's (so a page asks for the marks of those alone): a post
// turned into a ticket after the loop kept it shows its ticket on the next read. One event
// loop (PARTYLINE_THREADS=1), so every read goes through the one cache that read first; a
// fan-out threshold of 2, so the third follower makes an author big.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  adminCli, ALL_SCOPES, createApp, passwordLogin, raw, registerUsers, startServer, uniqueName,
} from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer({ env: { PARTYLINE_THREADS: '1', PARTYLINE_FANOUT_THRESHOLD: '2' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const homeIds = async (who) => (await who.client.v1.timelines.home.list({ limit: 40 })).map((s) => s.id);

test('an author who becomes big after the loop read the candidates is merged at once', async () => {
  const [author, reader, second, third] = await registerUsers(url, ['bigauthor', 'rd', 'sc', 'th']);
  await reader.client.v1.accounts.$select(author.account.id).follow();
  const before = await author.client.v1.statuses.create({ status: 'while small: fanned out' });
  assert.ok((await homeIds(reader)).includes(before.id), 'a small author reaches the feed by fan-out');

  // the third follower makes the author big: new posts are merged on read, not fanned out
  await second.client.v1.accounts.$select(author.account.id).follow();
  await third.client.v1.accounts.$select(author.account.id).follow();
  const after = await author.client.v1.statuses.create({ status: 'now big: merged on read' });
  for (const who of [reader, second, third]) {
    const ids = await homeIds(who);
    assert.ok(ids.includes(after.id), 'the big author\'s new post is in every follower\'s home at once');
    assert.ok(ids.indexOf(after.id) < (ids.includes(before.id) ? ids.indexOf(before.id) : Infinity));
  }
  // and someone who does not follow them does not get it
  const [stranger] = await registerUsers(url, ['stranger']);
  assert.ok(!(await homeIds(stranger)).includes(after.id));
});

test('a channel made after the loop read the candidates reaches its members at once', async () => {
  const [owner, member] = await registerUsers(url, ['chown', 'chmem']);
  await homeIds(member); // the loop has its candidates
  const made = await raw(url, '/api/v1/partyline/channels', {
    method: 'POST', token: owner.token, json: { name: uniqueName('newch'), display_name: 'New' },
  });
  assert.equal(made.status, 200, made.text);
  const ch = made.json;
  const joined = await raw(url, `/api/v1/partyline/channels/${ch.id}/join`, { method: 'POST', token: member.token });
  assert.equal(joined.status, 200, joined.text);
  const post = await owner.client.v1.statuses.create({ status: 'first words in the new channel', channelId: ch.id });
  assert.ok((await homeIds(member)).includes(post.id), 'the new channel\'s post is in its member\'s home');
});

test('a post the loop keeps, then turned into a ticket, shows its ticket on the next read', async () => {
  const username = uniqueName('adm');
  const made = await adminCli(server, ['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const scopes = `${ALL_SCOPES} admin:read admin:write`;
  const agent = (await passwordLogin(url, await createApp(url, { scopes }), username, 'long enough pw', scopes)).accessToken;
  const [asker, reader] = await registerUsers(url, ['asker', 'rdr']);
  await reader.client.v1.accounts.$select(asker.account.id).follow();
  const post = await asker.client.v1.statuses.create({ status: 'The coffee machine leaks again', visibility: 'public' });
  const first = (await reader.client.v1.timelines.home.list()).find((s) => s.id === post.id);
  assert.ok(first, 'read (and kept by the loop)');
  assert.equal(first.partyline?.ticket ?? null, null);

  const t = await raw(url, '/api/v1/partyline/tickets', { method: 'POST', token: agent, json: { status_id: post.id } });
  assert.equal(t.status, 200, t.text);
  const again = (await reader.client.v1.timelines.home.list()).find((s) => s.id === post.id);
  assert.equal(again.partyline?.ticket?.id, t.json.id, 'the page shows the new ticket at once');
});
