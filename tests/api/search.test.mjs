// Search: GET /api/v2/search (statuses by full text, accounts and hashtags by prefix) and our
// GET /api/v1/partyline/search/ranked. Docs: methods/search (v2), entities/Search, entities/Tag.
//
// Every post carries words made for the test (word()), so tests sharing one server never find
// each other's posts. Writes are answered after their transaction committed and the index is
// kept in that transaction, so a search right after a write must already see it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createApp, expectHttpError, passwordLogin, raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let server; // public_read off (the default)
let url;
let open; // public_read on, small limits
const OPEN_MAX_Q = 40;

before(async () => {
  [server, open] = await Promise.all([
    startServer(),
    startServer({
      env: {
        PARTYLINE_PUBLIC_READ: 'true',
        PARTYLINE_MAX_SEARCH_QUERY: String(OPEN_MAX_Q),
        PARTYLINE_MAX_SEARCH_OFFSET: '5',
        PARTYLINE_SEARCH_RANK_CANDIDATES: '2',
      },
    }),
  ]);
  url = server.url;
});

after(async () => {
  await Promise.all([server?.stop(), open?.stop()]);
});

let wordCounter = 0;
/** A word no other post has: letters only, so every tokenizer keeps it whole. */
function word() {
  wordCounter += 1;
  let n = process.pid * 1000 + wordCounter;
  let s = '';
  while (n > 0) {
    s += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  }
  return `zq${s}`;
}

const idsOf = (list) => list.map((s) => s.id);
const post = (who, status, extra = {}) => who.client.v1.statuses.create({ status, ...extra });
const search = (who, q, params = {}) => who.client.v2.search.list({ q, ...params });
const statusIds = async (who, q, params = {}) => idsOf((await search(who, q, { type: 'statuses', ...params })).statuses);

describe('statuses: the query language', () => {
  test('words: every word must occur, in the text or the content warning, in any case', async () => {
    const [a] = await registerUsers(url, ['sw']);
    const [w1, w2, w3] = [word(), word(), word()];
    const both = await post(a, `The ${w1} review is on ${w2.toUpperCase()}`);
    const one = await post(a, `Only ${w1} here`);
    const cw = await post(a, `behind a warning`, { spoilerText: `about ${w3}` });
    assert.deepEqual(await statusIds(a, `${w1} ${w2}`), [both.id]);
    assert.deepEqual(await statusIds(a, w1), [one.id, both.id], 'newest first');
    assert.deepEqual(await statusIds(a, `${w1} ${w3}`), [], 'no post has both');
    assert.deepEqual(await statusIds(a, w3.toUpperCase()), [cw.id], 'the content warning is searched');
    const res = await search(a, w2);
    assert.deepEqual(Object.keys(res).sort(), ['accounts', 'hashtags', 'statuses']);
    assert.equal(res.statuses[0].content.includes(w2.toUpperCase()), true, 'a full Status entity');
  });

  test('accents fold both ways, on both databases: muller finds Müller, JOSÉ finds jose', async () => {
    const [a] = await registerUsers(url, ['sa']);
    const w = word();
    const umlaut = await post(a, `Ask Müller${w} about the café`);
    const plain = await post(a, `jose${w} will bring the slides`);
    assert.deepEqual(await statusIds(a, `muller${w}`), [umlaut.id]);
    assert.deepEqual(await statusIds(a, `MÜLLER${w} cafe`), [umlaut.id]);
    assert.deepEqual(await statusIds(a, `JOSÉ${w}`), [plain.id]);
    assert.deepEqual(await statusIds(a, `"muller${w} about the cafe"`), [umlaut.id], 'in a phrase too');
  });

  test('"quoted phrases" match words next to each other in that order', async () => {
    const [a] = await registerUsers(url, ['sp']);
    const [x, y] = [word(), word()];
    const inOrder = await post(a, `${x} ${y} and more`);
    const reversed = await post(a, `${y} ${x} and more`);
    assert.deepEqual(await statusIds(a, `"${x} ${y}"`), [inOrder.id]);
    assert.deepEqual(await statusIds(a, `${x} ${y}`), [reversed.id, inOrder.id]);
    assert.deepEqual(await statusIds(a, `"${x} ${y}`), [inOrder.id], 'an unclosed quote runs to the end');
  });

  test('words that look like syntax are searched as words (OR, NEAR, *, key:value)', async () => {
    const [a] = await registerUsers(url, ['sy']);
    const w = word();
    const p = await post(a, `${w} OR NEAR see https://example.com/x`);
    assert.deepEqual(await statusIds(a, `${w} OR`), [p.id]);
    assert.deepEqual(await statusIds(a, `${w} NEAR*`), [p.id]);
    assert.deepEqual(await statusIds(a, `${w} https://example.com/x`), [p.id], 'an unknown key: is a word');
    assert.deepEqual(await statusIds(a, `${w} (`), [p.id], 'punctuation alone is no word');
  });

  test('from:username, from:@username and from:me keep one author; an unknown one finds nothing', async () => {
    const [a, b] = await registerUsers(url, ['sfa', 'sfb']);
    const w = word();
    const pa = await post(a, `${w} by a`);
    const pb = await post(b, `${w} by b`);
    assert.deepEqual(await statusIds(b, `${w} from:${a.username}`), [pa.id]);
    assert.deepEqual(await statusIds(b, `from:@${a.username.toUpperCase()} ${w}`), [pa.id]);
    assert.deepEqual(await statusIds(b, `${w} from:me`), [pb.id]);
    assert.deepEqual(await statusIds(b, `${w} from:nobody_${w}`), []);
    assert.deepEqual(await statusIds(b, `from:${a.username}`), [pa.id], 'from: alone lists the author');
    assert.deepEqual(await statusIds(b, w, { accountId: b.account.id }), [pb.id], 'account_id as from:');
    assert.deepEqual(await statusIds(b, `${w} from:${a.username}`, { accountId: b.account.id }), []);
  });

  test('before:, after: and during: take UTC days; a bad date is 422', async () => {
    const [a] = await registerUsers(url, ['sd']);
    const w = word();
    const p = await post(a, `${w} dated`);
    const day = (offset) => new Date(Date.parse(p.createdAt) + offset * 86400000).toISOString().slice(0, 10);
    assert.deepEqual(await statusIds(a, `${w} before:${day(1)}`), [p.id]);
    assert.deepEqual(await statusIds(a, `${w} before:${day(0)}`), [], 'before: leaves the day out');
    assert.deepEqual(await statusIds(a, `${w} after:${day(-1)}`), [p.id]);
    assert.deepEqual(await statusIds(a, `${w} after:${day(0)}`), [], 'after: leaves the day out');
    assert.deepEqual(await statusIds(a, `${w} during:${day(0)}`), [p.id]);
    assert.deepEqual(await statusIds(a, `${w} during:${day(-1)}`), []);
    assert.deepEqual(await statusIds(a, `${w} after:${day(-1)} before:${day(1)}`), [p.id]);
    await expectHttpError(statusIds(a, `${w} before:yesterday`), 422, /before:.*YYYY-MM-DD/);
    await expectHttpError(statusIds(a, `${w} after:2024-02-30`), 422, /after:/);
  });

  test('has:poll and is:reply; other values, in: and -word are 422 saying what is not supported', async () => {
    const [a] = await registerUsers(url, ['sh']);
    const w = word();
    const plain = await post(a, `${w} plain`);
    const poll = await post(a, `${w} poll`, { poll: { options: ['yes', 'no'], expiresIn: 3600 } });
    const reply = await post(a, `${w} reply`, { inReplyToId: plain.id });
    assert.deepEqual(await statusIds(a, `${w} has:poll`), [poll.id]);
    assert.deepEqual(await statusIds(a, `${w} is:reply`), [reply.id]);
    assert.deepEqual(await statusIds(a, w), [reply.id, poll.id, plain.id]);
    await expectHttpError(statusIds(a, `${w} has:media`), 422, /has:poll/);
    await expectHttpError(statusIds(a, `${w} is:sensitive`), 422, /is:reply/);
    await expectHttpError(statusIds(a, `${w} language:en`), 422, /language: is not supported yet/);
    await expectHttpError(statusIds(a, `${w} -other`), 422, /exclud/);
  });

  test('has:poll and is:reply alone (no word) find posts, newest first, with the other filters', async () => {
    const [a, b] = await registerUsers(url, ['sp', 'sq']);
    const w = word();
    const plain = await post(a, `${w} plain`);
    const poll = await post(a, `${w} poll`, { poll: { options: ['yes', 'no'], expiresIn: 3600 } });
    const reply = await post(b, `${w} reply`, { inReplyToId: plain.id });
    const polls = await search(a, 'has:poll', { type: 'statuses' });
    assert.equal(polls.statuses[0].id, poll.id, 'the newest poll first');
    assert.ok(polls.statuses.every((s) => s.poll), 'only posts with a poll');
    const replies = await search(a, 'is:reply', { type: 'statuses' });
    assert.equal(replies.statuses[0].id, reply.id);
    assert.ok(replies.statuses.every((s) => s.inReplyToId), 'only replies');
    assert.deepEqual(await statusIds(a, 'has:poll is:reply'), [], 'no reply of these has a poll');
    assert.deepEqual(await statusIds(a, `is:reply from:${b.account.username}`), [reply.id]);
    const older = await statusIds(a, 'has:poll', { maxId: poll.id });
    assert.ok(!older.includes(poll.id), 'paged by max_id');
  });

  test('in: finds what was shared to a channel; a private channel\'s posts only for its members', async () => {
    const [owner, member, outsider] = await registerUsers(url, ['ci', 'cm', 'co']);
    const w = word();
    const mk = async (name, priv) => (await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: owner.token, json: { name, private: priv } })).json;
    const pub = await mk(uniqueName('pub'), false);
    const priv = await mk(uniqueName('priv'), true);
    await raw(url, `/api/v1/partyline/channels/${priv.id}/join`, { method: 'POST', token: member.token });
    await raw(url, `/api/v1/partyline/channels/${priv.id}/requests/${member.account.id}/authorize`, { method: 'POST', token: owner.token });
    const inPub = await post(owner, `${w} in the open`, { channelId: pub.id });
    const inPriv = await post(owner, `${w} behind the door`, { channelId: priv.id });
    const elsewhere = await post(owner, `${w} nowhere in particular`);
    assert.deepEqual(await statusIds(outsider, `${w} in:#${pub.name}`), [inPub.id]);
    assert.deepEqual(await statusIds(member, `in:${priv.name}`), [inPriv.id], 'in: alone lists the channel');
    assert.deepEqual(await statusIds(outsider, `${w} in:${priv.name}`), [], 'not for those outside');
    assert.deepEqual(await statusIds(outsider, w), [elsewhere.id, inPub.id], 'nor in a plain search');
    assert.deepEqual(await statusIds(member, `${w} in:nosuchchannel`), []);
    assert.deepEqual(await statusIds(member, `${w} in:${owner.username}`), [], 'a person is not a channel');
  });

  test('#tag searches the hashtag; hashtags search lists tags by prefix as Tag entities', async () => {
    const [a] = await registerUsers(url, ['st']);
    const w = word();
    const tagged = await post(a, `spotted today #${w}Sighting`);
    const mentioned = await post(a, `the word ${w}sighting without the hash`);
    assert.deepEqual(await statusIds(a, `#${w}sighting`), [tagged.id], 'only the tagged post');
    assert.deepEqual(await statusIds(a, `${w}sighting`), [mentioned.id, tagged.id], 'the word is in both');
    assert.deepEqual(await statusIds(a, `#${w}sighting today`), [tagged.id], '#tag with words');

    const other = await post(a, `#${w}Silo and #${w}zebra`);
    assert.ok(other.id);
    const res = await search(a, `#${w}si`, { type: 'hashtags' });
    assert.deepEqual(res.hashtags.map((t) => t.name), [`${w}sighting`, `${w}silo`]);
    assert.equal(res.hashtags[0].url, `${url}/tags/${w}sighting`);
    assert.deepEqual(res.hashtags[0].history, []);
    assert.deepEqual(res.statuses, [], 'type=hashtags gives only hashtags');
    assert.deepEqual(res.accounts, []);
    const page2 = await search(a, `${w}`, { type: 'hashtags', limit: 2, offset: 2 });
    assert.deepEqual(page2.hashtags.map((t) => t.name), [`${w}zebra`], 'offset pages hashtags');
  });

  test('a hashtag used only in followers-only or direct posts is not listed', async () => {
    const [a, b] = await registerUsers(url, ['sta', 'stb']);
    const w = word();
    await post(a, `#${w}private`, { visibility: 'private' });
    await post(a, `#${w}direct @${b.username}`, { visibility: 'direct' });
    await post(a, `#${w}public`);
    const res = await search(b, `${w}`, { type: 'hashtags' });
    assert.deepEqual(res.hashtags.map((t) => t.name), [`${w}public`]);
  });
});

describe('statuses: the index follows edits and deletes', () => {
  test('an edit replaces the words: the old one no longer finds the post, the new one does', async () => {
    const [a] = await registerUsers(url, ['se']);
    const [old, neu] = [word(), word()];
    const p = await post(a, `first draft ${old}`);
    assert.deepEqual(await statusIds(a, old), [p.id]);
    await a.client.v1.statuses.$select(p.id).update({ status: `second draft ${neu}` });
    assert.deepEqual(await statusIds(a, old), [], 'the old word is gone from the index');
    assert.deepEqual(await statusIds(a, neu), [p.id]);
    assert.deepEqual(await statusIds(a, `second ${neu}`), [p.id], 'the unchanged words of the new text too');
  });

  test('a deleted post is not found; boosts are not results of their own', async () => {
    const [a, b] = await registerUsers(url, ['sx', 'sy']);
    const w = word();
    const keep = await post(a, `${w} keep`);
    const gone = await post(a, `${w} gone`);
    await b.client.v1.statuses.$select(keep.id).reblog();
    assert.deepEqual(await statusIds(b, w), [gone.id, keep.id], 'the boost is not a second hit');
    await a.client.v1.statuses.$select(gone.id).remove();
    assert.deepEqual(await statusIds(b, w), [keep.id]);
  });
});

describe('statuses: paging', () => {
  test('newest first; max_id, min_id and limit page through the hits', async () => {
    const [a] = await registerUsers(url, ['spg']);
    const w = word();
    const posts = [];
    for (let i = 0; i < 5; i++) posts.push(await post(a, `${w} number ${i}`));
    const newest = idsOf(posts).reverse();
    assert.deepEqual(await statusIds(a, w), newest);
    assert.deepEqual(await statusIds(a, w, { limit: 2 }), newest.slice(0, 2));
    assert.deepEqual(await statusIds(a, w, { limit: 2, maxId: newest[1] }), newest.slice(2, 4));
    assert.deepEqual(await statusIds(a, w, { limit: 2, maxId: newest[3] }), newest.slice(4));
    assert.deepEqual(await statusIds(a, w, { limit: 2, minId: newest[4] }), newest.slice(2, 4), 'min_id: the next newer ones');
    assert.deepEqual(await statusIds(a, w, { limit: 2, offset: 3 }), newest.slice(3, 5), 'offset');
    const many = await statusIds(a, w, { limit: 1000 });
    assert.equal(many.length, 5, 'a limit above 40 is read as 40');
  });

  test('a page is filled even when most hits are hidden from the viewer', async () => {
    const [a, c] = await registerUsers(url, ['sfa', 'sfc']);
    const w = word();
    const visible = [];
    for (let i = 0; i < 3; i++) visible.push(await post(a, `${w} public ${i}`));
    for (let i = 0; i < 45; i++) await post(a, `${w} followers only ${i}`, { visibility: 'private' });
    const got = await statusIds(c, w, { limit: 2 });
    assert.deepEqual(got, idsOf(visible).reverse().slice(0, 2), 'the 45 newer hidden hits are skipped');
    assert.deepEqual(await statusIds(c, w, { limit: 2, offset: 2 }), [visible[0].id], 'offset counts visible hits');
  });
});

describe('statuses: privacy', () => {
  test('followers-only: found by a follower and a mentioned person, not by anyone else', async () => {
    const [a, follower, mentioned, other] = await registerUsers(url, ['spa', 'spf', 'spm', 'spo']);
    await follower.client.v1.accounts.$select(a.account.id).follow();
    const w = word();
    const p = await post(a, `${w} for followers @${mentioned.username}`, { visibility: 'private' });
    assert.deepEqual(await statusIds(follower, w), [p.id]);
    assert.deepEqual(await statusIds(mentioned, w), [p.id]);
    assert.deepEqual(await statusIds(other, w), []);
    assert.deepEqual(await statusIds(a, w), [p.id], 'the author finds their own');
  });

  test('a direct message is found by its recipients only, never by a third person', async () => {
    const [a, b, third] = await registerUsers(url, ['sda', 'sdb', 'sdc']);
    await third.client.v1.accounts.$select(a.account.id).follow();
    const w = word();
    const dm = await post(a, `@${b.username} ${w} just between us`, { visibility: 'direct' });
    assert.deepEqual(await statusIds(b, w), [dm.id]);
    assert.deepEqual(await statusIds(third, w), [], 'following the author is not enough');
    assert.deepEqual(await statusIds(third, `${w} from:${a.username}`), []);
  });

  test('blocked and muted authors are hidden, both ways for blocks', async () => {
    const [a, blocker, blocked, muter] = await registerUsers(url, ['sba', 'sbb', 'sbc', 'sbm']);
    const w = word();
    const p = await post(a, `${w} public post`);
    await blocker.client.v1.accounts.$select(a.account.id).block();
    await a.client.v1.accounts.$select(blocked.account.id).block();
    await muter.client.v1.accounts.$select(a.account.id).mute();
    assert.deepEqual(await statusIds(blocker, w), [], 'the viewer blocks the author');
    assert.deepEqual(await statusIds(blocked, w), [], 'the author blocks the viewer');
    assert.deepEqual(await statusIds(muter, w), [], 'the viewer mutes the author');
    const acc = await search(blocked, a.username, { type: 'accounts' });
    assert.deepEqual(idsOf(acc.accounts), [a.account.id], 'an author who blocks you is still found as a person (Mastodon)');
    const [x] = await registerUsers(url, ['sbx']);
    assert.deepEqual(await statusIds(x, w), [p.id], 'anyone else finds it');
  });
});

describe('accounts', () => {
  test('by username or display-name prefix, in any case; the exact username first', async () => {
    const [a, b] = await registerUsers(url, ['acq', 'acqx']);
    const w = word();
    await b.client.v1.accounts.updateCredentials({ displayName: `Zeb ${w}son` });
    const found = await search(a, a.username.slice(0, 4).toUpperCase(), { type: 'accounts', limit: 40 });
    assert.ok(idsOf(found.accounts).includes(a.account.id));
    const exact = await search(b, a.username, { type: 'accounts' });
    assert.equal(exact.accounts[0].id, a.account.id, 'the exact username first');
    assert.deepEqual(idsOf((await search(a, w.toUpperCase(), { type: 'accounts' })).accounts), [b.account.id], 'a word of the display name');
    assert.deepEqual(idsOf((await search(a, `@${b.username}`, { type: 'accounts' })).accounts), [b.account.id], '@username');
    assert.deepEqual((await search(a, 'no_one_is_called_this', { type: 'accounts' })).accounts, []);
    assert.deepEqual((await search(a, `${a.username}@elsewhere.example`, { type: 'accounts' })).accounts, [], 'another host: nobody here');
  });

  test('following=true keeps only accounts the viewer follows', async () => {
    const [a, fan, stranger] = await registerUsers(url, ['afa', 'aff', 'afs']);
    await fan.client.v1.accounts.$select(a.account.id).follow();
    assert.deepEqual(idsOf((await search(fan, a.username, { type: 'accounts', following: true })).accounts), [a.account.id]);
    assert.deepEqual((await search(stranger, a.username, { type: 'accounts', following: true })).accounts, []);
    assert.deepEqual(idsOf((await search(stranger, a.username, { type: 'accounts' })).accounts), [a.account.id]);
  });
});

describe('accounts: what a prefix finds, and in which order', () => {
  // Written against the scan of every account (before migration 028) and kept unchanged
  // after it: the name index must find the same accounts in the same order.
  const accountIds = async (who, q, params = {}) => idsOf((await search(who, q, { type: 'accounts', limit: 40, ...params })).accounts);

  test('the most followed first, then the oldest account; offset and limit page through', async () => {
    const [x1, x2, x3, x4, f1, f2] = await registerUsers(url, ['ord', 'ord', 'ord', 'ord', 'orf', 'orf']);
    const w = word();
    for (const [i, who] of [x1, x2, x3, x4].entries())
      await who.client.v1.accounts.updateCredentials({ displayName: `Person${i} ${w}` });
    for (const f of [f1, f2]) await f.client.v1.accounts.$select(x3.account.id).follow();
    await f1.client.v1.accounts.$select(x2.account.id).follow();
    const want = [x3, x2, x1, x4].map((x) => x.account.id);
    assert.deepEqual(await accountIds(f1, w), want, 'followers, then id');
    assert.deepEqual(await accountIds(f1, w.toUpperCase()), want, 'ASCII case is ignored');
    assert.deepEqual(await accountIds(f1, w, { limit: 2, offset: 1 }), want.slice(1, 3), 'offset and limit');
    assert.deepEqual(idsOf(await f1.client.v1.accounts.search.list({ q: w, limit: 1, offset: 3 })), want.slice(3), 'v1 pages the same');
    assert.deepEqual(await accountIds(f1, w, { following: true }), [x3, x2].map((x) => x.account.id), 'following=true keeps the order');
    assert.deepEqual(await accountIds(f1, w, { following: true, offset: 1 }), [x2.account.id]);
  });

  test('the exact username comes first, before more followed accounts that share its prefix', async () => {
    const [x, y, f] = await registerUsers(url, ['exa', 'exb', 'exf']);
    await y.client.v1.accounts.updateCredentials({ displayName: `${x.username}er` });
    await f.client.v1.accounts.$select(y.account.id).follow();
    const found = await accountIds(f, x.username.toUpperCase());
    assert.deepEqual(found, [x.account.id, y.account.id]);
    assert.deepEqual(await accountIds(f, x.username, { offset: 1 }), [y.account.id], 'then the rest');
    assert.deepEqual(await accountIds(f, x.username, { limit: 1 }), [x.account.id]);
  });

  test('the start of the username, of the display name or of a word after a space; nothing inside a word', async () => {
    const [a, b] = await registerUsers(url, ['pre', 'prb']);
    const w = word();
    await b.client.v1.accounts.updateCredentials({ displayName: `Zeb ${w}son Ö${w}` });
    assert.deepEqual(await accountIds(a, w), [b.account.id], 'a word after a space');
    assert.deepEqual(await accountIds(a, `zeb ${w.slice(0, 4)}`), [b.account.id], 'across words, from the start');
    assert.deepEqual(await accountIds(a, `${w}SON Ö`), [b.account.id], 'across words, from a word');
    assert.deepEqual(await accountIds(a, `Ö${w}`), [b.account.id], 'a word that starts with a non-ASCII letter');
    assert.deepEqual(await accountIds(a, w.slice(1)), [], 'not from inside a word');
    assert.deepEqual(await accountIds(a, `${w}son  Ö`), [], 'spaces are matched as written');
    assert.ok((await accountIds(a, b.username.slice(0, b.username.length - 1))).includes(b.account.id), 'a username prefix');
  });

  test('% and _ in the query are themselves, not wildcards', async () => {
    const [a, b] = await registerUsers(url, ['wla', 'wlb']);
    const w = word();
    await b.client.v1.accounts.updateCredentials({ displayName: `${w} 100%_off` });
    assert.deepEqual(await accountIds(a, `${w} 100%_`), [b.account.id]);
    assert.deepEqual(await accountIds(a, `${w} 1%`), []);
    assert.deepEqual(await accountIds(a, `${w} 100__`), []);
    assert.deepEqual(await accountIds(a, `${w.slice(0, 2)}_${w.slice(3)}`), []);
  });

  test('a new display name replaces the old one at once', async () => {
    const [a, b] = await registerUsers(url, ['dna', 'dnb']);
    const [w1, w2] = [word(), word()];
    await b.client.v1.accounts.updateCredentials({ displayName: `Old ${w1}` });
    assert.deepEqual(await accountIds(a, w1), [b.account.id]);
    await b.client.v1.accounts.updateCredentials({ displayName: `New ${w2}` });
    assert.deepEqual(await accountIds(a, w1), [], 'the old name is gone');
    assert.deepEqual(await accountIds(a, w2), [b.account.id], 'the new one is found');
    assert.deepEqual(await accountIds(a, `new ${w2}`), [b.account.id]);
    await b.client.v1.accounts.updateCredentials({ displayName: '' });
    assert.deepEqual(await accountIds(a, w2), [], 'no display name, no words');
    assert.deepEqual(await accountIds(a, b.username), [b.account.id], 'the username stays');
  });
});

describe('GET /api/v1/accounts/search', () => {
  test('the accounts part alone, as an array; following=true; a user token is needed', async () => {
    const [a, fan] = await registerUsers(url, ['asa', 'asf']);
    await fan.client.v1.accounts.$select(a.account.id).follow();
    const found = await fan.client.v1.accounts.search.list({ q: a.username });
    assert.deepEqual(idsOf(found), [a.account.id]);
    assert.deepEqual(idsOf(await fan.client.v1.accounts.search.list({ q: a.username, following: true })), [a.account.id]);
    assert.deepEqual(await a.client.v1.accounts.search.list({ q: fan.username, following: true }), []);
    const signedOut = await raw(url, `/api/v1/accounts/search?q=${a.username}`);
    assert.equal(signedOut.status, 401);
    const byId = await raw(url, `/api/v1/accounts/${a.account.id}`, { token: a.token });
    assert.equal(byId.status, 200, 'GET /api/v1/accounts/:id still answers');
  });
});

describe('accounts and blocks (Mastodon: a block hides nobody from account search)', () => {
  test('the people one blocks are found, so an app can unblock them by name', async () => {
    const [me, them] = await registerUsers(url, ['abk', 'abkt']);
    await me.client.v1.accounts.$select(them.account.id).block();
    assert.deepEqual(idsOf(await me.client.v1.accounts.search.list({ q: them.username })), [them.account.id], 'v1 accounts/search');
    assert.deepEqual(idsOf((await search(me, `@${them.username}`, { type: 'accounts', resolve: true })).accounts), [them.account.id], 'v2 search, as toot asks');
    assert.deepEqual(idsOf((await search(me, them.username.slice(0, 5))).accounts).includes(them.account.id), true, 'a prefix, every type');
    const [rel] = await me.client.v1.accounts.relationships.fetch({ id: [them.account.id] });
    assert.equal(rel.blocking, true, 'the relationship says so');
    await me.client.v1.accounts.$select(them.account.id).unblock();
    assert.deepEqual(await me.client.v1.blocks.list(), []);
  });

  test('those who block one are found too; following=true still means only the people one follows', async () => {
    const [me, blocker] = await registerUsers(url, ['abb', 'abbr']);
    await me.client.v1.accounts.$select(blocker.account.id).follow();
    await blocker.client.v1.accounts.$select(me.account.id).block();
    assert.deepEqual(idsOf(await me.client.v1.accounts.search.list({ q: blocker.username })), [blocker.account.id]);
    assert.deepEqual(await me.client.v1.accounts.search.list({ q: blocker.username, following: true }), [], 'a block ended the follow');
  });
});

describe('signed out, scopes and limits', () => {
  test('signed out without public_read: 401', async () => {
    const res = await raw(url, `/api/v2/search?q=anything`);
    assert.equal(res.status, 401);
    assert.match(res.json.error, /authenticated/);
  });

  test('signed out with public_read: public posts only; offset and resolve need a token', async () => {
    const [a, b] = await registerUsers(open.url, ['soa', 'sob']);
    const w = word();
    const pub = await post(a, `${w} public`);
    await post(a, `${w} unlisted`, { visibility: 'unlisted' });
    await post(a, `${w} private`, { visibility: 'private' });
    const res = await raw(open.url, `/api/v2/search?q=${w}&type=statuses`);
    assert.equal(res.status, 200);
    assert.deepEqual(idsOf(res.json.statuses), [pub.id]);
    const signedIn = idsOf((await b.client.v2.search.list({ q: w, type: 'statuses' })).statuses);
    assert.equal(signedIn.length, 2, 'a member also finds the unlisted post');
    const acc = await raw(open.url, `/api/v2/search?q=${a.username}&type=accounts`);
    assert.deepEqual(idsOf(acc.json.accounts), [a.account.id]);
    const off = await raw(open.url, `/api/v2/search?q=${w}&offset=1`);
    assert.equal(off.status, 401);
    assert.match(off.json.error, /without authentication/);
    const resolve = await raw(open.url, `/api/v2/search?q=${w}&resolve=true`);
    assert.equal(resolve.status, 401);
    assert.match(resolve.json.error, /without authentication/);
  });

  test('a token without read:search (or read) is 403; with read:search it works', async () => {
    const [a] = await registerUsers(url, ['ssc']);
    const app = await createApp(url, { scopes: 'read:accounts read:search' });
    const narrow = await passwordLogin(url, app, a.email, a.password, 'read:accounts');
    const res = await raw(url, `/api/v2/search?q=x`, { token: narrow.accessToken });
    assert.equal(res.status, 403);
    const searcher = await passwordLogin(url, app, a.email, a.password, 'read:search');
    const ok = await raw(url, `/api/v2/search?q=x`, { token: searcher.accessToken });
    assert.equal(ok.status, 200);
  });

  test('limits: q length and offset are 422 beyond the configured limits; q missing is 400; bad type 422', async () => {
    const [a] = await registerUsers(open.url, ['sl']);
    await expectHttpError(a.client.v2.search.list({ q: 'é'.repeat(OPEN_MAX_Q + 1) }), 422, new RegExp(`q is too long.*${OPEN_MAX_Q}`));
    const ok = await a.client.v2.search.list({ q: 'é'.repeat(OPEN_MAX_Q) });
    assert.deepEqual(ok.statuses, [], `${OPEN_MAX_Q} characters are allowed`);
    await expectHttpError(a.client.v2.search.list({ q: 'x', offset: 6 }), 422, /offset is too large.*5/);
    await expectHttpError(a.client.v2.search.list({ q: 'x', type: 'posts' }), 422, /type/);
    const missing = await raw(open.url, `/api/v2/search`, { token: a.token });
    assert.equal(missing.status, 400);
    assert.match(missing.json.error, /q/);
    const [b] = await registerUsers(url, ['slb']);
    await expectHttpError(b.client.v2.search.list({ q: 'x'.repeat(501) }), 422, /500/, 'the default is 500');
    await expectHttpError(b.client.v2.search.list({ q: 'x', offset: 10001 }), 422, /10000/, 'the default is 10000');
  });
});

describe('ranked search (/api/v1/partyline/search/ranked)', () => {
  test('the better match comes first whatever its age; paged by offset', async () => {
    const [a] = await registerUsers(url, ['sr']);
    const w = word();
    const better = await post(a, `${w} ${w} ${w}`);
    const weaker = await post(a, `${w} in a much longer post about many other things that happened today at work`);
    assert.deepEqual(await statusIds(a, w), [weaker.id, better.id], 'v2 is newest first');
    const ranked = await raw(url, `/api/v1/partyline/search/ranked?q=${w}&type=statuses`, { token: a.token });
    assert.equal(ranked.status, 200);
    assert.deepEqual(idsOf(ranked.json.statuses), [better.id, weaker.id]);
    const second = await raw(url, `/api/v1/partyline/search/ranked?q=${w}&type=statuses&limit=1&offset=1`, { token: a.token });
    assert.deepEqual(idsOf(second.json.statuses), [weaker.id]);
    const bad = await raw(url, `/api/v2/search?q=${w}&order=relevance`, { token: a.token });
    assert.equal(bad.status, 422);
    assert.match(bad.json.error, /\/api\/v1\/partyline\/search\/ranked/);
  });

  test('search_rank_candidates: only the newest that many matches are ranked (default 1000)', async () => {
    const [a] = await registerUsers(open.url, ['src']);
    const w = word();
    const better = await post(a, `${w} ${w} ${w}`);
    const weaker = await post(a, `${w} in a much longer post about many other things that happened today at work`);
    const newest = await post(a, `${w} in another long post about other things that happened today`);
    const ranked = await raw(open.url, `/api/v1/partyline/search/ranked?q=${w}&type=statuses`, { token: a.token });
    assert.equal(ranked.status, 200);
    assert.deepEqual(idsOf(ranked.json.statuses), [newest.id, weaker.id], 'the older, better match is past the 2 newest');
    const [b] = await registerUsers(url, ['srd']);
    const w2 = word();
    const b1 = await post(b, `${w2} ${w2} ${w2}`);
    const b2 = await post(b, `${w2} in a much longer post about many other things that happened today at work`);
    const b3 = await post(b, `${w2} in another long post about other things that happened today`);
    const byDefault = await raw(url, `/api/v1/partyline/search/ranked?q=${w2}&type=statuses`, { token: b.token });
    assert.deepEqual(idsOf(byDefault.json.statuses), [b1.id, b3.id, b2.id], 'with the default every one is ranked');
  });

  test('ranked results go through the same privacy rules', async () => {
    const [a, other] = await registerUsers(url, ['sra', 'sro']);
    const w = word();
    await post(a, `${w} ${w} private`, { visibility: 'private' });
    const pub = await post(a, `${w} public`);
    const ranked = await raw(url, `/api/v1/partyline/search/ranked?q=${w}`, { token: other.token });
    assert.deepEqual(idsOf(ranked.json.statuses), [pub.id]);
  });
});
