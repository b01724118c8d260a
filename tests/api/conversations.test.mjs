// Direct conversations: GET /api/v1/conversations, DELETE /:id, POST /:id/read, and the unread
// counts (the notifications marker's unread_count, GET /api/v1/partyline/unread).
// Docs: methods/conversations, entities/Conversation, methods/markers, methods/statuses.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  collectPages,
  createApp,
  expectHttpError,
  NOT_FOUND,
  parseLink,
  passwordLogin,
  raw,
  registerUsers,
  restClient,
  startServer,
} from './harness.mjs';

let server;
let url;
let capped; // a server counting unread things up to 2
const UNREAD_CAP = 2;

before(async () => {
  [server, capped] = await Promise.all([
    startServer(),
    startServer({ env: { PARTYLINE_MAX_UNREAD_COUNT: String(UNREAD_CAP) } }),
  ]);
  url = server.url;
});

after(async () => {
  await Promise.all([server?.stop(), capped?.stop()]);
});

const dm = (from, text, extra = {}) => from.client.v1.statuses.create({ status: text, visibility: 'direct', ...extra });
const convs = async (who, params = { limit: 40 }) => who.client.v1.conversations.list(params);
const accountIds = (conv) => conv.accounts.map((a) => a.id).sort();
const unread = async (who, base = url) => {
  const r = await raw(base, '/api/v1/partyline/unread', { token: who.token });
  assert.equal(r.status, 200, r.text);
  return r.json;
};

describe('a conversation between two people', () => {
  test('a DM makes a conversation for both: unread for the recipient, read for the author', async () => {
    const [a, b] = await registerUsers(url, ['ca', 'cb']);
    const s = await dm(a, `@${b.username} hello, just between us`);

    const [theirs, ...moreB] = await convs(b);
    assert.equal(moreB.length, 0);
    assert.equal(typeof theirs.id, 'string');
    assert.equal(theirs.unread, true, 'the recipient has not read it');
    assert.deepEqual(accountIds(theirs), [a.account.id], 'accounts are the other participants');
    assert.equal(theirs.lastStatus.id, s.id);
    assert.equal(theirs.lastStatus.visibility, 'direct');
    assert.equal(theirs.lastStatus.account.id, a.account.id);

    const [mine, ...moreA] = await convs(a);
    assert.equal(moreA.length, 0);
    assert.equal(mine.unread, false, 'the author wrote it, so has read it');
    assert.deepEqual(accountIds(mine), [b.account.id]);
    assert.equal(mine.lastStatus.id, s.id);
    assert.notEqual(mine.id, theirs.id, 'each participant has a conversation of their own');
  });

  test('a reply joins the same conversation; the replier\'s side becomes read, the other unread', async () => {
    const [a, b] = await registerUsers(url, ['cc', 'cd']);
    const s = await dm(a, `@${b.username} lunch?`);
    const [before] = await convs(b);
    await b.client.v1.conversations.$select(before.id).read();
    const r = await dm(b, `@${a.username} yes!`, { inReplyToId: s.id });

    const afterB = await convs(b);
    assert.equal(afterB.length, 1, 'still one conversation');
    assert.equal(afterB[0].id, before.id, 'the same conversation');
    assert.equal(afterB[0].lastStatus.id, r.id, 'the reply is the last status now');
    assert.equal(afterB[0].unread, false, 'one\'s own reply leaves it read');

    const afterA = await convs(a);
    assert.equal(afterA.length, 1);
    assert.equal(afterA[0].lastStatus.id, r.id);
    assert.equal(afterA[0].unread, true, 'the other side has something new');

    // a new DM (not a reply) starts a second conversation between the same two
    const fresh = await dm(a, `@${b.username} another topic`);
    const both = await convs(b);
    assert.equal(both.length, 2);
    assert.equal(both[0].lastStatus.id, fresh.id, 'newest activity first');
    assert.equal(both[1].id, before.id);
  });

  test('mark read: unread becomes false and stays so; someone else\'s or an unknown id is 404', async () => {
    const [a, b, c] = await registerUsers(url, ['ce', 'cf', 'cg']);
    await dm(a, `@${b.username} read me`);
    const [conv] = await convs(b);
    assert.equal(conv.unread, true);
    const read = await b.client.v1.conversations.$select(conv.id).read();
    assert.equal(read.id, conv.id);
    assert.equal(read.unread, false);
    assert.deepEqual(accountIds(read), [a.account.id]);
    assert.equal(read.lastStatus.id, conv.lastStatus.id);
    assert.equal((await convs(b))[0].unread, false, 'kept');

    await expectHttpError(c.client.v1.conversations.$select(conv.id).read(), 404, /Record not found/, 'another person\'s conversation');
    await expectHttpError(a.client.v1.conversations.$select(conv.id).read(), 404, /Record not found/, 'the other side\'s id is not theirs');
    await expectHttpError(b.client.v1.conversations.$select('12345').read(), 404, NOT_FOUND, 'unknown id');
    await expectHttpError(b.client.v1.conversations.$select('nope').read(), 404, NOT_FOUND, 'malformed id');
  });

  test('delete removes the conversation for the caller only; the statuses stay; a new message brings it back', async () => {
    const [a, b, c] = await registerUsers(url, ['ch', 'ci', 'cj']);
    const s = await dm(a, `@${b.username} to be archived`);
    const [mine] = await convs(a);
    await expectHttpError(c.client.v1.conversations.$select(mine.id).remove(), 404, /Record not found/, 'someone else cannot delete it');
    const r = await raw(url, `/api/v1/conversations/${mine.id}`, { method: 'DELETE', token: a.token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {}, 'an empty object, as documented');

    assert.deepEqual(await convs(a), [], 'gone for the author');
    const theirs = await convs(b);
    assert.equal(theirs.length, 1, 'still there for the recipient');
    assert.equal(theirs[0].lastStatus.id, s.id);
    assert.equal((await a.client.v1.statuses.$select(s.id).fetch()).id, s.id, 'the status itself is not deleted');
    await expectHttpError(a.client.v1.conversations.$select(mine.id).remove(), 404, /Record not found/, 'deleting twice');

    const reply = await dm(b, `@${a.username} still there?`, { inReplyToId: s.id });
    const back = await convs(a);
    assert.equal(back.length, 1, 'a new message in the thread makes a conversation again');
    assert.equal(back[0].lastStatus.id, reply.id);
    assert.equal(back[0].unread, true);
  });
});

describe('several participants', () => {
  test('a DM to two people: each sees the other two as accounts', async () => {
    const [a, b, c] = await registerUsers(url, ['ck', 'cl', 'cm']);
    const s = await dm(a, `@${b.username} @${c.username} the three of us`);
    for (const [who, others] of [[a, [b, c]], [b, [a, c]], [c, [a, b]]]) {
      const list = await convs(who);
      assert.equal(list.length, 1, `${who.username} has one conversation`);
      assert.deepEqual(accountIds(list[0]), others.map((o) => o.account.id).sort(), `${who.username}'s participants`);
      assert.equal(list[0].lastStatus.id, s.id);
    }
  });

  test('a later message addressed to one of two recipients is in that one\'s conversations only', async () => {
    const [a, b, c] = await registerUsers(url, ['cn', 'co', 'cp']);
    const s = await dm(a, `@${b.username} @${c.username} plans for Friday`);
    const [cBefore] = await convs(c);
    const aside = await dm(a, `@${b.username} (just you: c must not know)`, { inReplyToId: s.id });

    // c: nothing new, and the aside is nowhere to be seen
    const cAfter = await convs(c);
    assert.equal(cAfter.length, 1);
    assert.equal(cAfter[0].id, cBefore.id);
    assert.equal(cAfter[0].lastStatus.id, s.id, 'c\'s last status is still the message to all three');
    assert.ok(!JSON.stringify(cAfter).includes('must not know'), 'the aside\'s text is not in c\'s conversations');
    await expectHttpError(c.client.v1.statuses.$select(aside.id).fetch(), 404, NOT_FOUND, 'c cannot read the aside');

    // b: the aside, with a as the only other participant (a conversation of its own, as Mastodon)
    const bAfter = await convs(b);
    const withAside = bAfter.filter((x) => x.lastStatus?.id === aside.id);
    assert.equal(withAside.length, 1, 'b has the aside');
    assert.deepEqual(accountIds(withAside[0]), [a.account.id]);
    assert.equal(withAside[0].unread, true);
    assert.equal(bAfter.length, 2, 'and still the conversation of three');
    assert.equal(bAfter[0].id, withAside[0].id, 'newest activity first');
    assert.deepEqual(accountIds(bAfter[1]), [a.account.id, c.account.id].sort());
    assert.equal(bAfter[1].lastStatus.id, s.id);

    // a reply to all three continues the three-person conversation for everybody
    const all = await dm(c, `@${a.username} @${b.username} Friday works`, { inReplyToId: s.id });
    const cLast = await convs(c);
    assert.equal(cLast.length, 1);
    assert.equal(cLast[0].lastStatus.id, all.id);
    assert.equal((await convs(b))[0].lastStatus.id, all.id);
  });

  test('editing a DM to address someone else moves it out of the left-out person\'s conversations', async () => {
    const [a, b, c] = await registerUsers(url, ['cq', 'cr', 'cs']);
    const first = await dm(a, `@${b.username} first`);
    const s = await dm(a, `@${b.username} second`, { inReplyToId: first.id });
    assert.equal((await convs(b))[0].lastStatus.id, s.id);
    await a.client.v1.statuses.$select(s.id).update({ status: `@${c.username} second, for c instead` });

    const bNow = await convs(b);
    assert.equal(bNow.length, 1);
    assert.equal(bNow[0].lastStatus.id, first.id, 'b\'s conversation falls back to what b was sent');
    await expectHttpError(b.client.v1.statuses.$select(s.id).fetch(), 404, NOT_FOUND);

    const cNow = await convs(c);
    assert.equal(cNow.length, 1, 'c has it now');
    assert.equal(cNow[0].lastStatus.id, s.id);
    assert.equal(cNow[0].unread, true);
    assert.match(cNow[0].lastStatus.content, /for c instead/);

    // an edit that keeps the addressees keeps everything as it was, read flag included
    await c.client.v1.conversations.$select(cNow[0].id).read();
    await a.client.v1.statuses.$select(s.id).update({ status: `@${c.username} second, for c (typo fixed)` });
    const cAgain = await convs(c);
    assert.equal(cAgain[0].id, cNow[0].id);
    assert.equal(cAgain[0].unread, false);
    assert.match(cAgain[0].lastStatus.content, /typo fixed/, 'the last status shows the edit');
  });

  test('deleting the last message shows the one before; deleting the only one removes the conversation', async () => {
    const [a, b] = await registerUsers(url, ['ct', 'cu']);
    const s = await dm(a, `@${b.username} one`);
    const r = await dm(a, `@${b.username} two`, { inReplyToId: s.id });
    assert.equal((await convs(b))[0].lastStatus.id, r.id);
    await a.client.v1.statuses.$select(r.id).remove();
    const after1 = await convs(b);
    assert.equal(after1.length, 1);
    assert.equal(after1[0].lastStatus.id, s.id);
    await a.client.v1.statuses.$select(s.id).remove();
    assert.deepEqual(await convs(b), []);
    assert.deepEqual(await convs(a), []);
  });
});

describe('paging', () => {
  test('newest activity first, by limit, with Link headers; min_id and since_id; a reply moves a conversation up', async () => {
    const [a, ...others] = await registerUsers(url, ['cv', 'cw', 'cx', 'cy', 'cz', 'da']);
    const sent = [];
    for (const o of others) sent.push(await dm(a, `@${o.username} hi ${o.username}`));
    const all = await collectPages(a.client.v1.conversations.list({ limit: 2 }));
    assert.deepEqual(all.map((x) => x.lastStatus.id), sent.map((s) => s.id).reverse(), 'every conversation once, newest first');

    const first = await raw(url, '/api/v1/conversations?limit=2', { token: a.token });
    assert.equal(first.json.length, 2);
    const link = parseLink(first.headers.get('link'));
    assert.ok(link.next && link.prev, 'Link has next and prev');
    assert.match(link.next, new RegExp(`max_id=${sent[3].id}`), 'next pages below the last status of the page');
    const next = await raw(url, new URL(link.next).pathname + new URL(link.next).search, { token: a.token });
    assert.deepEqual(next.json.map((x) => x.last_status.id), [sent[2].id, sent[1].id]);

    const newer = await raw(url, `/api/v1/conversations?min_id=${sent[1].id}&limit=2`, { token: a.token });
    assert.deepEqual(newer.json.map((x) => x.last_status.id), [sent[3].id, sent[2].id], 'min_id: the ones just above, newest first');
    const since = await raw(url, `/api/v1/conversations?since_id=${sent[1].id}&limit=2`, { token: a.token });
    assert.deepEqual(since.json.map((x) => x.last_status.id), [sent[4].id, sent[3].id], 'since_id: the newest above');

    const reply = await dm(others[0], `@${a.username} back to you`, { inReplyToId: sent[0].id });
    const top = await convs(a, { limit: 1 });
    assert.equal(top[0].lastStatus.id, reply.id, 'the oldest conversation is first after a reply');
    assert.deepEqual(accountIds(top[0]), [others[0].account.id]);
    assert.equal((await collectPages(a.client.v1.conversations.list({ limit: 2 }))).length, 5, 'still five');
  });
});

describe('blocks and mutes', () => {
  test('a DM from someone you block makes no conversation for you (Mastodon drops it); the author keeps theirs', async () => {
    const [a, b] = await registerUsers(url, ['db', 'dc']);
    await b.client.v1.accounts.$select(a.account.id).block();
    await dm(a, `@${b.username} can you hear me?`);
    assert.deepEqual(await convs(b), []);
    assert.equal((await convs(a)).length, 1);
    assert.equal((await unread(b)).conversations, 0);
  });

  test('muted with notifications hidden: no conversation; muted with notifications shown: a conversation', async () => {
    const [a, b, c] = await registerUsers(url, ['dd', 'de', 'df']);
    await b.client.v1.accounts.$select(a.account.id).mute({ notifications: true });
    await c.client.v1.accounts.$select(a.account.id).mute({ notifications: false });
    const s = await dm(a, `@${b.username} @${c.username} muted?`);
    assert.deepEqual(await convs(b), [], 'b hid a\'s notifications');
    const cs = await convs(c);
    assert.equal(cs.length, 1, 'c only muted a in timelines');
    assert.equal(cs[0].lastStatus.id, s.id);
  });

  test('when the author blocks the recipient later, the conversation stays but shows no status', async () => {
    const [a, b] = await registerUsers(url, ['dg', 'dh']);
    await dm(a, `@${b.username} before the block`);
    await a.client.v1.accounts.$select(b.account.id).block();
    const [conv] = await convs(b);
    assert.equal(conv.lastStatus, null, 'b may no longer see a\'s status, so none is shown');
  });
});

describe('unread counts', () => {
  test('GET /api/v1/partyline/unread and the notifications marker\'s unread_count follow what happens', async () => {
    const [a, b] = await registerUsers(url, ['di', 'dj']);
    assert.deepEqual(await unread(b), { notifications: 0, conversations: 0, limit: 1000 });

    const s = await dm(a, `@${b.username} count me`);
    assert.deepEqual(await unread(b), { notifications: 0, conversations: 1, limit: 1000 },
      'a direct message counts once: as an unread conversation, not again as a mention');
    assert.deepEqual(await unread(a), { notifications: 0, conversations: 0, limit: 1000 }, 'nothing unread for the author');
    await a.client.v1.statuses.create({ status: `@${b.username} in the open`, visibility: 'public' });
    assert.equal((await unread(b)).notifications, 1, 'a mention in a public post is a notification');

    await b.client.v1.accounts.$select(a.account.id).follow();
    assert.equal((await unread(a)).notifications, 1, 'a follow notification');

    const [n] = await b.client.v1.notifications.list();
    const saved = await b.client.v1.markers.create({ notifications: { lastReadId: n.id } });
    assert.equal(saved.notifications.unreadCount, 0, 'the marker counts what is newer than it');
    assert.equal((await unread(b)).notifications, 0);
    assert.equal((await unread(b)).conversations, 1, 'the marker does not read conversations');

    await dm(a, `@${b.username} one more`, { inReplyToId: s.id });
    const m = await b.client.v1.markers.fetch({ timeline: ['notifications'] });
    assert.equal(m.notifications.unreadCount, 1, "the marker counts the mention as Mastodon's list shows it");
    assert.equal(m.notifications.lastReadId, n.id);
    assert.deepEqual(await unread(b), { notifications: 0, conversations: 1, limit: 1000 }, 'one conversation, still one');

    const [conv] = await convs(b);
    await b.client.v1.conversations.$select(conv.id).read();
    assert.equal((await unread(b)).conversations, 0, 'reading the conversation');

    // the home marker has no count
    const h = await b.client.v1.markers.create({ home: { lastReadId: s.id } });
    assert.equal(h.home.unreadCount, undefined);
  });

  test('a notification about a post one may no longer see is not counted', async () => {
    const [a, b] = await registerUsers(url, ['dk', 'dl']);
    await a.client.v1.statuses.create({ status: `@${b.username} soon invisible`, visibility: 'public' });
    assert.equal((await unread(b)).notifications, 1);
    await a.client.v1.accounts.$select(b.account.id).block();
    assert.equal((await unread(b)).notifications, 0);
    assert.deepEqual(await b.client.v1.notifications.list(), [], 'as the list does not show it');
  });

  test('counts stop at max_unread_count (limit says where)', async () => {
    const [a, b] = await registerUsers(capped.url, ['dm', 'dn']);
    for (let i = 0; i < UNREAD_CAP + 2; i++) {
      await dm(a, `@${b.username} number ${i}`);
      await a.client.v1.statuses.create({ status: `@${b.username} openly ${i}`, visibility: 'public' });
    }
    assert.equal((await convs(b)).length, UNREAD_CAP + 2, 'every conversation is there');
    assert.deepEqual(await unread(b, capped.url), { notifications: UNREAD_CAP, conversations: UNREAD_CAP, limit: UNREAD_CAP });
    const [n] = await b.client.v1.notifications.list({ limit: 1 });
    const m = await b.client.v1.markers.create({ notifications: { lastReadId: n.id } });
    assert.equal(m.notifications.unreadCount, 0);
  });
});

describe('scopes and sign-in', () => {
  test('read:statuses lists; write:conversations is needed to read or delete; signed out is 401', async () => {
    const [a, b] = await registerUsers(url, ['do', 'dp']);
    await dm(a, `@${b.username} scoped`);
    const app = await createApp(url);
    const reader = restClient(url, (await passwordLogin(url, app, b.email, b.password, 'read:statuses')).accessToken);
    const [conv] = await reader.v1.conversations.list();
    assert.ok(conv);
    await expectHttpError(reader.v1.conversations.$select(conv.id).read(), 403, /scope/i, 'read with read:statuses only');
    await expectHttpError(reader.v1.conversations.$select(conv.id).remove(), 403, /scope/i, 'delete with read:statuses only');
    const writer = restClient(url, (await passwordLogin(url, app, b.email, b.password, 'write:conversations')).accessToken);
    await expectHttpError(writer.v1.conversations.list(), 403, /scope/i, 'list with write only');
    assert.equal((await writer.v1.conversations.$select(conv.id).read()).unread, false);

    const unreadOnly = await passwordLogin(url, app, b.email, b.password, 'read:notifications');
    assert.equal((await raw(url, '/api/v1/partyline/unread', { token: unreadOnly.accessToken })).status, 200);
    assert.equal((await raw(url, '/api/v1/partyline/unread', { token: (await passwordLogin(url, app, b.email, b.password, 'read:statuses')).accessToken })).status, 403);

    await expectHttpError(restClient(url).v1.conversations.list(), 401, /token/i);
    assert.equal((await raw(url, '/api/v1/partyline/unread')).status, 401);
  });
});
