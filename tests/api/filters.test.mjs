// Filters (v2): CRUD of filters, keywords and statuses, owner-only access, and how they apply:
// "filtered" for warn (per viewer, never from a cache), hide in every context, whole words,
// expiry and limits. Docs: methods/filters, entities/Filter, FilterKeyword, FilterStatus,
// FilterResult, entities/Status#filtered.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, raw, registerUsers, startServer } from './harness.mjs';

let server;
let url;

// Small limits so that each can be reached (partyline.example.ini has the defaults).
const LIMITS = {
  PARTYLINE_MAX_FILTERS: '4',
  PARTYLINE_MAX_FILTER_TITLE: '30',
  PARTYLINE_MAX_FILTER_KEYWORDS: '3',
  PARTYLINE_MAX_FILTER_KEYWORD: '20',
  PARTYLINE_MAX_FILTER_STATUSES: '2',
};

before(async () => {
  server = await startServer({ env: LIMITS });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const follow = (who, whom) => who.client.v1.accounts.$select(whom.account.id).follow();
const post = (who, status, extra = {}) => who.client.v1.statuses.create({ status, ...extra });
const home = async (who) => (await who.client.v1.timelines.home.list({ limit: 40 }));
const publicTl = async (who) => (await who.client.v1.timelines.public.list({ limit: 40 }));
const ids = (list) => list.map((s) => s.id);
const find = (list, id) => list.find((s) => s.id === id);

describe('filter CRUD', () => {
  test('create with keywords, fetch, list, update keywords_attributes (change, _destroy, add), delete', async () => {
    const [a] = await registerUsers(url, ['fa']);
    const f = await a.client.v2.filters.create({
      title: 'Spoilers',
      context: ['home', 'public'],
      keywordsAttributes: [{ keyword: 'finale' }, { keyword: 'plot twist', wholeWord: false }],
    });
    assert.equal(typeof f.id, 'string');
    assert.equal(f.title, 'Spoilers');
    assert.deepEqual(f.context, ['home', 'public']);
    assert.equal(f.filterAction, 'warn', 'warn is the default action');
    assert.equal(f.expiresAt, null);
    assert.deepEqual(f.keywords.map((k) => [k.keyword, k.wholeWord]), [['finale', true], ['plot twist', false]],
      'whole_word defaults to true (Mastodon\'s default)');
    assert.deepEqual(f.statuses, []);

    assert.deepEqual(await a.client.v2.filters.$select(f.id).fetch(), f);
    assert.deepEqual((await a.client.v2.filters.list()).map((x) => x.id), [f.id]);

    const [k1, k2] = f.keywords;
    const up = await a.client.v2.filters.$select(f.id).update({
      title: 'TV',
      context: ['notifications'],
      filterAction: 'hide',
      keywordsAttributes: [{ id: k1.id, _destroy: true }, { id: k2.id, keyword: 'cliffhanger' }, { keyword: 'season', wholeWord: true }],
    });
    assert.equal(up.title, 'TV');
    assert.deepEqual(up.context, ['notifications']);
    assert.equal(up.filterAction, 'hide');
    assert.deepEqual(up.keywords.map((k) => [k.keyword, k.wholeWord]), [['cliffhanger', false], ['season', true]]);
    assert.equal(up.keywords[0].id, k2.id, 'a keyword changed in place keeps its id');

    // a partial update keeps what it does not name
    const up2 = await a.client.v2.filters.$select(f.id).update({ title: 'Television' });
    assert.deepEqual(up2.context, ['notifications']);
    assert.equal(up2.filterAction, 'hide');
    assert.equal(up2.keywords.length, 2);

    // a keyword id of another filter is 404, and nothing changes
    const other = await a.client.v2.filters.create({ title: 'other', context: ['home'], keywordsAttributes: [{ keyword: 'x' }] });
    await expectHttpError(a.client.v2.filters.$select(f.id).update({ title: 'changed', keywordsAttributes: [{ id: other.keywords[0].id, keyword: 'y' }] }),
      404, /Record not found/, 'foreign keyword id');
    assert.equal((await a.client.v2.filters.$select(f.id).fetch()).title, 'Television', 'a failed update writes nothing');

    const removed = await raw(url, `/api/v2/filters/${f.id}`, { method: 'DELETE', token: a.token });
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.json, {});
    await expectHttpError(a.client.v2.filters.$select(f.id).fetch(), 404, /Record not found/, 'a deleted filter');
    await expectHttpError(a.client.v2.filters.keywords.$select(k2.id).fetch(), 404, /Record not found/, 'its keywords went with it');
    assert.deepEqual((await a.client.v2.filters.list()).map((x) => x.id), [other.id]);
  });

  test('form-encoded create in Rails notation (keywords_attributes[][keyword]) as in the docs', async () => {
    const [a] = await registerUsers(url, ['fb']);
    const body = 'title=test&context[]=public&context[]=thread&filter_action=blur&expires_in=3600' +
      '&keywords_attributes[][keyword]=foo&keywords_attributes[][whole_word]=false' +
      '&keywords_attributes[][keyword]=bar&keywords_attributes[][whole_word]=true';
    const res = await raw(url, '/api/v2/filters', {
      method: 'POST', token: a.token, body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.context, ['public', 'thread']);
    assert.equal(res.json.filter_action, 'blur');
    assert.deepEqual(res.json.keywords.map((k) => [k.keyword, k.whole_word]), [['foo', false], ['bar', true]]);
    const exp = Date.parse(res.json.expires_at);
    assert.ok(Math.abs(exp - (Date.now() + 3600e3)) < 120e3, `expires_at is an hour from now (${res.json.expires_at})`);
    // expires_in empty: never expires
    const up = await raw(url, `/api/v2/filters/${res.json.id}`, { method: 'PUT', token: a.token, form: { expires_in: '' } });
    assert.equal(up.status, 200, up.text);
    assert.equal(up.json.expires_at, null);
  });

  test('validation: blank title, no or unknown context, unknown action, blank keyword are 422 with a reason', async () => {
    const [a] = await registerUsers(url, ['fc']);
    await expectHttpError(a.client.v2.filters.create({ title: ' ', context: ['home'] }), 422, /title can't be blank/i);
    await expectHttpError(a.client.v2.filters.create({ title: 't', context: [] }), 422, /context/i);
    const noContext = await raw(url, '/api/v2/filters', { method: 'POST', token: a.token, json: { title: 't' } });
    assert.equal(noContext.status, 422);
    assert.match(noContext.json.error, /context/i);
    await expectHttpError(a.client.v2.filters.create({ title: 't', context: ['home', 'everywhere'] }), 422, /'everywhere'/);
    await expectHttpError(a.client.v2.filters.create({ title: 't', context: ['home'], filterAction: 'explode' }), 422, /filter_action/);
    await expectHttpError(a.client.v2.filters.create({ title: 't', context: ['home'], keywordsAttributes: [{ keyword: '  ' }] }), 422, /keyword can't be blank/i);
    await expectHttpError(a.client.v2.filters.create({ title: 't', context: ['home'], expiresIn: -5 }), 422, /expires_in/);
    assert.deepEqual(await a.client.v2.filters.list(), [], 'nothing was created');
  });

  test('keywords: list, add, fetch, update, delete', async () => {
    const [a] = await registerUsers(url, ['fd']);
    const f = await a.client.v2.filters.create({ title: 'k', context: ['home'] });
    const k = await a.client.v2.filters.$select(f.id).keywords.create({ keyword: 'Apple', wholeWord: false });
    assert.deepEqual([k.keyword, k.wholeWord], ['Apple', false]);
    const dflt = await a.client.v2.filters.$select(f.id).keywords.create({ keyword: 'pear' });
    assert.equal(dflt.wholeWord, true);
    assert.deepEqual((await a.client.v2.filters.$select(f.id).keywords.list()).map((x) => x.id), [k.id, dflt.id]);
    assert.deepEqual(await a.client.v2.filters.keywords.$select(k.id).fetch(), k);
    const up = await a.client.v2.filters.keywords.$select(k.id).update({ keyword: 'banana' });
    assert.deepEqual([up.id, up.keyword, up.wholeWord], [k.id, 'banana', false], 'whole_word kept when not given');
    await expectHttpError(a.client.v2.filters.keywords.$select(k.id).update({ keyword: '' }), 422, /keyword can't be blank/i);
    await expectHttpError(a.client.v2.filters.$select(f.id).keywords.create({ keyword: '' }), 422, /keyword can't be blank/i);
    const del = await raw(url, `/api/v2/filters/keywords/${k.id}`, { method: 'DELETE', token: a.token });
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, {});
    assert.deepEqual((await a.client.v2.filters.$select(f.id).fetch()).keywords.map((x) => x.keyword), ['pear']);
  });

  test('statuses: add one you may see, list, fetch, delete; twice is 422; one you may not see is 404', async () => {
    const [a, b] = await registerUsers(url, ['fe', 'ff']);
    const f = await a.client.v2.filters.create({ title: 's', context: ['home'] });
    const s = await post(b, 'public post');
    const priv = await post(b, 'followers only', { visibility: 'private' });
    const fs = await a.client.v2.filters.$select(f.id).statuses.create({ statusId: s.id });
    assert.equal(fs.statusId, s.id);
    assert.deepEqual(await a.client.v2.filters.$select(f.id).statuses.list(), [fs]);
    assert.deepEqual(await a.client.v2.filters.statuses.$select(fs.id).fetch(), fs);
    assert.deepEqual((await a.client.v2.filters.$select(f.id).fetch()).statuses, [fs]);
    await expectHttpError(a.client.v2.filters.$select(f.id).statuses.create({ statusId: s.id }), 422, /already/i, 'twice');
    await expectHttpError(a.client.v2.filters.$select(f.id).statuses.create({ statusId: priv.id }), 404, /Record not found/,
      'a followers-only post of someone a does not follow');
    await expectHttpError(a.client.v2.filters.$select(f.id).statuses.create({ statusId: '999999999' }), 404, /Record not found/);
    const del = await raw(url, `/api/v2/filters/statuses/${fs.id}`, { method: 'DELETE', token: a.token });
    assert.equal(del.status, 200);
    assert.deepEqual(await a.client.v2.filters.$select(f.id).statuses.list(), []);
  });

  test('someone else\'s filter, keyword or filter status is 404 everywhere', async () => {
    const [a, b] = await registerUsers(url, ['fg', 'fh']);
    const s = await post(a, 'mine');
    const f = await a.client.v2.filters.create({ title: 'private', context: ['home'], keywordsAttributes: [{ keyword: 'secret' }] });
    const fs = await a.client.v2.filters.$select(f.id).statuses.create({ statusId: s.id });
    const theirs = b.client.v2.filters.$select(f.id);
    await expectHttpError(theirs.fetch(), 404, /Record not found/, 'fetch');
    await expectHttpError(theirs.update({ title: 'stolen' }), 404, /Record not found/, 'update');
    await expectHttpError(theirs.remove(), 404, /Record not found/, 'delete');
    await expectHttpError(theirs.keywords.list(), 404, /Record not found/, 'keywords');
    await expectHttpError(theirs.keywords.create({ keyword: 'mine now' }), 404, /Record not found/, 'add keyword');
    await expectHttpError(theirs.statuses.list(), 404, /Record not found/, 'statuses');
    await expectHttpError(theirs.statuses.create({ statusId: s.id }), 404, /Record not found/, 'add status');
    const kw = b.client.v2.filters.keywords.$select(f.keywords[0].id);
    await expectHttpError(kw.fetch(), 404, /Record not found/, 'keyword fetch');
    await expectHttpError(kw.update({ keyword: 'x' }), 404, /Record not found/, 'keyword update');
    await expectHttpError(kw.remove(), 404, /Record not found/, 'keyword delete');
    await expectHttpError(b.client.v2.filters.statuses.$select(fs.id).fetch(), 404, /Record not found/, 'filter status fetch');
    const del = await raw(url, `/api/v2/filters/statuses/${fs.id}`, { method: 'DELETE', token: b.token });
    assert.equal(del.status, 404);
    assert.deepEqual(await b.client.v2.filters.list(), []);
    const mine = await a.client.v2.filters.$select(f.id).fetch();
    assert.equal(mine.title, 'private');
    assert.equal(mine.keywords[0].keyword, 'secret');
    assert.equal(mine.statuses.length, 1);
  });

  test('limits: filters per account, keywords per filter, keyword and title length, statuses per filter', async () => {
    const [a, b] = await registerUsers(url, ['fi', 'fj']);
    await expectHttpError(a.client.v2.filters.create({ title: 'x'.repeat(31), context: ['home'] }), 422, /maximum is 30/);
    await expectHttpError(a.client.v2.filters.create({ title: 'kw', context: ['home'], keywordsAttributes: [{ keyword: 'y'.repeat(21) }] }),
      422, /maximum is 20/);
    await expectHttpError(a.client.v2.filters.create({ title: 'kw', context: ['home'], keywordsAttributes: ['a', 'b', 'c', 'd'].map((keyword) => ({ keyword })) }),
      422, /more than 3 keywords/);
    const f = await a.client.v2.filters.create({ title: 'kw', context: ['home'], keywordsAttributes: ['a', 'b', 'c'].map((keyword) => ({ keyword })) });
    await expectHttpError(a.client.v2.filters.$select(f.id).keywords.create({ keyword: 'd' }), 422, /more than 3 keywords/);
    await expectHttpError(a.client.v2.filters.$select(f.id).update({ keywordsAttributes: [{ keyword: 'd' }] }), 422, /more than 3 keywords/);
    // removing one and adding one in the same update stays within the limit
    const swapped = await a.client.v2.filters.$select(f.id).update({ keywordsAttributes: [{ id: f.keywords[0].id, _destroy: true }, { keyword: 'd' }] });
    assert.deepEqual(swapped.keywords.map((k) => k.keyword), ['b', 'c', 'd']);

    const s1 = await post(b, 'one');
    const s2 = await post(b, 'two');
    const s3 = await post(b, 'three');
    await a.client.v2.filters.$select(f.id).statuses.create({ statusId: s1.id });
    await a.client.v2.filters.$select(f.id).statuses.create({ statusId: s2.id });
    await expectHttpError(a.client.v2.filters.$select(f.id).statuses.create({ statusId: s3.id }), 422, /more than 2 statuses/);

    for (let i = 1; i < 4; i++) await a.client.v2.filters.create({ title: `f${i}`, context: ['home'] });
    await expectHttpError(a.client.v2.filters.create({ title: 'one too many', context: ['home'] }), 422, /more than 4 filters/);
    assert.equal((await a.client.v2.filters.list()).length, 4);
  });
});

describe('applying filters', () => {
  test('warn: the owner sees filtered with keyword_matches; another viewer of the same post does not', async () => {
    const [a, b, author] = await registerUsers(url, ['wa', 'wb', 'wc']);
    await follow(a, author);
    await follow(b, author);
    const f = await a.client.v2.filters.create({ title: 'Sports', context: ['home', 'public', 'thread'], keywordsAttributes: [{ keyword: 'football' }] });
    const s = await post(author, 'Who watched the Football match?');
    const plain = await post(author, 'nothing to see');

    // b reads first (the post enters the loop's cache), then a, then b again
    const bFirst = find(await home(b), s.id);
    assert.deepEqual(bFirst.filtered, []);
    const aHome = await home(a);
    const mine = find(aHome, s.id);
    assert.equal(mine.filtered.length, 1, 'a warn filter shows in filtered');
    assert.equal(mine.filtered[0].filter.id, f.id);
    assert.equal(mine.filtered[0].filter.title, 'Sports');
    assert.equal(mine.filtered[0].filter.filterAction, 'warn');
    assert.equal(mine.filtered[0].filter.keywords, undefined, 'a FilterResult\'s filter has no keywords');
    assert.deepEqual(mine.filtered[0].keywordMatches, ['football']);
    assert.equal(mine.filtered[0].statusMatches, null);
    assert.deepEqual(find(aHome, plain.id).filtered, []);
    assert.deepEqual(find(await home(b), s.id).filtered, [], 'b never gets a\'s filter, before or after a read it');
    assert.equal(find(await publicTl(a), s.id).filtered.length, 1, 'public context');
    assert.equal((await a.client.v1.statuses.$select(s.id).fetch()).filtered.length, 1, 'thread context');
    assert.deepEqual((await b.client.v1.statuses.$select(s.id).fetch()).filtered, []);

    // a status filter: status_matches, also through a boost
    const g = await a.client.v2.filters.create({ title: 'This one', context: ['home'] });
    await a.client.v2.filters.$select(g.id).statuses.create({ statusId: plain.id });
    await follow(a, b);
    const boost = await b.client.v1.statuses.$select(plain.id).reblog();
    const again = await home(a);
    const direct = find(again, plain.id);
    assert.deepEqual(direct.filtered.map((r) => [r.filter.id, r.statusMatches]), [[g.id, [plain.id]]]);
    const viaBoost = find(again, boost.id);
    assert.ok(viaBoost, 'the boost is on a\'s home');
    assert.deepEqual(viaBoost.filtered.map((r) => r.filter.id), [g.id], 'a boost of a filtered status is filtered');
    assert.deepEqual(viaBoost.reblog.filtered.map((r) => r.filter.id), [g.id]);

    // signed out there is no "filtered" at all; a's own posts are never filtered
    const own = await post(a, 'I love football');
    assert.deepEqual(find(await home(a), own.id).filtered, [], 'own posts are not filtered');
  });

  test('hide removes from home, public, tag, account and notifications in its contexts only', async () => {
    const [a, author] = await registerUsers(url, ['ha', 'hb']);
    await follow(a, author);
    const hidden = await post(author, `@${a.username} the #rumour says layoffs are coming`);
    const kept = await post(author, `@${a.username} the #rumour says pizza on Friday`);
    const homeOnly = await a.client.v2.filters.create({ title: 'no layoffs at home', context: ['home'], filterAction: 'hide', keywordsAttributes: [{ keyword: 'layoffs' }] });
    assert.ok(!ids(await home(a)).includes(hidden.id), 'gone from home');
    assert.ok(ids(await home(a)).includes(kept.id));
    const list = await a.client.v1.lists.create({ title: 'work' });
    await a.client.v1.lists.$select(list.id).accounts.create({ accountIds: [author.account.id] });
    const listed = ids(await a.client.v1.timelines.list.$select(list.id).list({ limit: 40 }));
    assert.deepEqual(listed, [kept.id], 'gone from lists ("home" is the home timeline and lists)');
    assert.ok(ids(await publicTl(a)).includes(hidden.id), 'a home-only filter does not touch the public timeline');
    const notes = await a.client.v1.notifications.list({ limit: 40 });
    assert.ok(notes.some((n) => n.status?.id === hidden.id), 'nor notifications');

    await a.client.v2.filters.$select(homeOnly.id).update({ context: ['home', 'public', 'notifications', 'account'] });
    assert.ok(!ids(await publicTl(a)).includes(hidden.id), 'gone from public');
    assert.ok(ids(await publicTl(a)).includes(kept.id));
    const tag = await a.client.v1.timelines.tag.$select('rumour').list({ limit: 40 });
    assert.deepEqual(ids(tag), [kept.id], 'gone from the hashtag timeline (public context)');
    const acct = await a.client.v1.accounts.$select(author.account.id).statuses.list({ limit: 40 });
    assert.deepEqual(ids(acct), [kept.id], 'gone from the profile (account context)');
    const notes2 = await a.client.v1.notifications.list({ limit: 40 });
    assert.ok(!notes2.some((n) => n.status?.id === hidden.id), 'gone from notifications');
    assert.ok(notes2.some((n) => n.status?.id === kept.id));

    // the author, and anyone else, still sees it
    assert.ok(ids(await publicTl(author)).includes(hidden.id));

    // hide in a thread: other posts of the thread go, the post asked for stays (marked)
    await a.client.v2.filters.$select(homeOnly.id).update({ context: ['thread'] });
    const root = await post(author, 'quarterly results thread');
    const bad = await post(author, 'more layoffs news', { inReplyToId: root.id });
    const ok = await post(author, 'good news', { inReplyToId: root.id });
    const ctx = await a.client.v1.statuses.$select(root.id).context.fetch();
    assert.deepEqual(ids(ctx.descendants), [ok.id]);
    const asked = await a.client.v1.statuses.$select(bad.id).fetch();
    assert.equal(asked.filtered[0].filter.filterAction, 'hide');
    assert.ok(ids(await home(a)).includes(bad.id), 'a thread-only filter does not touch home');
  });

  test('whole_word matches words only; without it any substring; case and Latin accents do not matter', async () => {
    const [a, author] = await registerUsers(url, ['ma', 'mb']);
    await follow(a, author);
    await a.client.v2.filters.create({
      title: 'words', context: ['home'], filterAction: 'hide',
      keywordsAttributes: [{ keyword: 'cat', wholeWord: true }, { keyword: 'dog', wholeWord: false }, { keyword: 'école', wholeWord: true }],
    });
    const cases = [
      ['a CAT sat here', true],
      ['concatenate strings', false],
      ['cat.', true],
      ['#cat', true],
      ['cats are nice', false],
      ['hotdogs for lunch', true],
      ['ÉCOLE closed', true],
      ['écoles closed', false],
      ['nothing here', false],
    ];
    const posted = [];
    for (const [text] of cases) posted.push(await post(author, text));
    const shown = ids(await home(a));
    cases.forEach(([text, hide], i) => {
      assert.equal(!shown.includes(posted[i].id), hide, `"${text}" should be ${hide ? 'hidden' : 'shown'}`);
    });
    // the content warning is matched too
    const cw = await post(author, 'harmless', { spoilerText: 'about the dog' });
    assert.ok(!ids(await home(a)).includes(cw.id), 'the content warning is matched');
  });

  test('an expired filter stops applying', async () => {
    const [a, author] = await registerUsers(url, ['ea', 'eb']);
    await follow(a, author);
    const s = await post(author, 'ephemeral topic');
    await a.client.v2.filters.create({ title: 'soon over', context: ['home'], filterAction: 'hide', expiresIn: 2, keywordsAttributes: [{ keyword: 'ephemeral' }] });
    assert.ok(!ids(await home(a)).includes(s.id), 'hidden while the filter lasts');
    const deadline = Date.now() + 20000;
    let back = false;
    while (!back && Date.now() < deadline) {
      back = ids(await home(a)).includes(s.id);
      if (!back) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(back, 'shown again once the filter expired');
    const listed = await a.client.v2.filters.list();
    assert.equal(listed.length, 1, 'an expired filter is still listed');
    assert.ok(Date.parse(listed[0].expiresAt) <= Date.now());
  });
});

describe('the deprecated v1 API', () => {
  test('a V1::Filter is one keyword of a v2 filter: create, list, fetch, update, delete', async () => {
    const [a, b] = await registerUsers(url, ['va', 'vb']);
    const v1 = await a.client.v1.filters.create({ phrase: 'budget', context: ['home', 'public'], irreversible: true });
    assert.equal(v1.phrase, 'budget');
    assert.deepEqual(v1.context, ['home', 'public']);
    assert.equal(v1.wholeWord, false, 'v1 keywords are not whole-word unless asked');
    assert.equal(v1.irreversible, true);
    assert.equal(v1.expiresAt, null);
    const [v2] = await a.client.v2.filters.list();
    assert.equal(v2.title, 'budget', 'the filter is titled by its phrase');
    assert.equal(v2.filterAction, 'hide', 'irreversible is hide');
    assert.deepEqual(v2.keywords.map((k) => [k.id, k.keyword]), [[v1.id, 'budget']], 'the V1 id is the keyword\'s');
    assert.deepEqual(await a.client.v1.filters.$select(v1.id).fetch(), v1);

    const up = await a.client.v1.filters.$select(v1.id).update({ phrase: 'costs', context: ['thread'], irreversible: false, wholeWord: true });
    assert.deepEqual([up.id, up.phrase, up.wholeWord, up.irreversible], [v1.id, 'costs', true, false]);
    assert.deepEqual(up.context, ['thread']);

    // a filter with several keywords: the phrase may change, the filter's settings may not
    await a.client.v2.filters.$select(v2.id).keywords.create({ keyword: 'spending' });
    assert.deepEqual((await a.client.v1.filters.list()).map((f) => f.phrase), ['costs', 'spending']);
    const renamed = await a.client.v1.filters.$select(v1.id).update({ phrase: 'prices', context: ['thread'] });
    assert.equal(renamed.phrase, 'prices');
    await expectHttpError(a.client.v1.filters.$select(v1.id).update({ phrase: 'prices', context: ['home'] }), 422, /several keywords/);
    await expectHttpError(a.client.v1.filters.create({ phrase: '', context: ['home'] }), 422, /phrase can't be blank/i);
    await expectHttpError(a.client.v1.filters.create({ phrase: 'x', context: [] }), 422, /context/i);

    await expectHttpError(b.client.v1.filters.$select(v1.id).fetch(), 404, /Record not found/, 'someone else\'s');
    await expectHttpError(b.client.v1.filters.$select(v1.id).update({ phrase: 'x', context: ['home'] }), 404, /Record not found/);
    await expectHttpError(b.client.v1.filters.$select(v1.id).remove(), 404, /Record not found/);
    assert.deepEqual(await b.client.v1.filters.list(), []);

    await a.client.v1.filters.$select(v1.id).remove();
    assert.deepEqual((await a.client.v1.filters.list()).map((f) => f.phrase), ['spending']);
    assert.equal((await a.client.v2.filters.$select(v2.id).fetch()).keywords.length, 1, 'deleting removes only the keyword');
  });
});
