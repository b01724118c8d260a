// Statuses: post, view, delete, edit + history, context, favourite, boost, bookmark,
// favourited_by / reblogged_by, and how text becomes HTML.
// Docs: methods/statuses, entities/Status, methods/bookmarks.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  collectPages,
  decodeEntities,
  expectHttpError,
  htmlText,
  NOT_FOUND,
  raw,
  registerUsers,
  restClient,
  startServer,
} from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

/** All <a ...>inner</a> of an HTML string as {attrs: {name: value}, inner}. */
function anchors(html) {
  const out = [];
  for (const m of html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
    const attrs = {};
    for (const a of m[1].matchAll(/([a-zA-Z_:-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1].toLowerCase()] = decodeEntities(a[2]);
    out.push({ attrs, inner: m[2] });
  }
  return out;
}

describe('POST /api/v1/statuses', () => {
  test('a plain status: defaults and entity shape', async () => {
    const [a] = await registerUsers(url, ['sp']);
    const s = await a.client.v1.statuses.create({ status: 'Hello world' });
    assert.equal(typeof s.id, 'string');
    assert.match(s.id, /^\d+$/, 'ids are strings of digits');
    assert.equal(s.content, '<p>Hello world</p>');
    assert.equal(s.visibility, 'public');
    assert.equal(s.sensitive, false);
    assert.equal(s.spoilerText, '');
    assert.equal(s.inReplyToId, null);
    assert.equal(s.inReplyToAccountId, null);
    assert.equal(s.reblog, null);
    assert.equal(s.repliesCount, 0);
    assert.equal(s.reblogsCount, 0);
    assert.equal(s.favouritesCount, 0);
    assert.equal(s.favourited, false);
    assert.equal(s.reblogged, false);
    assert.equal(s.bookmarked, false);
    assert.equal(s.editedAt ?? null, null);
    assert.deepEqual(s.mentions, []);
    assert.deepEqual(s.tags, []);
    assert.deepEqual(s.emojis, []);
    assert.deepEqual(s.mediaAttachments, []);
    assert.equal(s.account.id, a.account.id);
    assert.equal(typeof s.uri, 'string');
    assert.ok(!Number.isNaN(Date.parse(s.createdAt)));
    assert.ok(Math.abs(Date.parse(s.createdAt) - Date.now()) < 600_000, 'created_at is now');
    assert.equal((await a.client.v1.accounts.verifyCredentials()).statusesCount, 1);
  });

  for (const visibility of ['public', 'unlisted', 'private', 'direct']) {
    test(`visibility=${visibility} is kept`, async () => {
      const [a] = await registerUsers(url, ['vis']);
      const s = await a.client.v1.statuses.create({ status: `a ${visibility} post`, visibility });
      assert.equal(s.visibility, visibility);
      const again = await a.client.v1.statuses.$select(s.id).fetch();
      assert.equal(again.visibility, visibility);
    });
  }

  test('an unknown visibility is 422', async () => {
    const [a] = await registerUsers(url, ['vis']);
    await expectHttpError(a.client.v1.statuses.create({ status: 'x', visibility: 'everyone' }), 422, /visibility/i);
    const mine = await a.client.v1.accounts.$select(a.account.id).statuses.list();
    assert.deepEqual(mine, [], 'the refused status was not stored');
  });

  test('spoiler_text, sensitive and language are kept', async () => {
    const [a] = await registerUsers(url, ['cw']);
    const s = await a.client.v1.statuses.create({ status: 'the plot twist', spoilerText: 'spoilers!', sensitive: true, language: 'de' });
    assert.equal(s.spoilerText, 'spoilers!');
    assert.equal(s.sensitive, true);
    assert.equal(s.language, 'de');
  });

  test('in_reply_to_id makes a reply and counts it on the parent', async () => {
    const [a, b] = await registerUsers(url, ['ra', 'rb']);
    const parent = await a.client.v1.statuses.create({ status: 'parent' });
    const reply = await b.client.v1.statuses.create({ status: `@${a.username} child`, inReplyToId: parent.id });
    assert.equal(reply.inReplyToId, parent.id);
    assert.equal(reply.inReplyToAccountId, a.account.id);
    const p = await b.client.v1.statuses.$select(parent.id).fetch();
    assert.equal(p.repliesCount, 1);
  });

  test('replying to an unknown status fails', async () => {
    const [a] = await registerUsers(url, ['rx']);
    await expectHttpError(a.client.v1.statuses.create({ status: 'orphan', inReplyToId: '999999999999' }), [404, 422]);
  });

  test('mentions and hashtags become links, with mentions[] and tags[]', async () => {
    const [a, bob] = await registerUsers(url, ['ma', 'mbob']);
    const s = await a.client.v1.statuses.create({ status: `hi @${bob.username}, see #PartyTime and @nobody_at_all` });
    const links = anchors(s.content);

    const mention = links.find((l) => (l.attrs.class ?? '').split(/\s+/).includes('mention') && (l.attrs.class ?? '').includes('u-url'));
    assert.ok(mention, `a <a class="u-url mention"> link expected in ${s.content}`);
    assert.equal(mention.attrs.href, bob.account.url, 'the mention links to the profile URL');
    assert.equal(htmlText(mention.inner), `@${bob.username}`);
    assert.match(s.content, /<span class="h-card"[^>]*>\s*<a\b/, 'mentions are wrapped in <span class="h-card">');

    const tag = links.find((l) => (l.attrs.class ?? '').includes('hashtag'));
    assert.ok(tag, `a <a class="mention hashtag"> link expected in ${s.content}`);
    assert.match(tag.attrs.class, /\bmention\b/);
    assert.match(tag.attrs.href, /\/tags\/partytime$/i);
    assert.equal(tag.attrs.rel, 'tag');
    assert.equal(htmlText(tag.inner), '#PartyTime');

    assert.equal(s.mentions.length, 1, 'an unknown @nobody is not a mention');
    assert.deepEqual(
      { id: s.mentions[0].id, username: s.mentions[0].username, acct: s.mentions[0].acct, url: s.mentions[0].url },
      { id: bob.account.id, username: bob.username, acct: bob.username, url: bob.account.url },
    );
    assert.deepEqual(s.tags.map((t) => t.name), ['partytime'], 'tag names are lower-cased');
    assert.match(s.tags[0].url, /\/tags\/partytime$/);
    assert.match(htmlText(s.content), /@nobody_at_all/, 'an unknown mention stays as text');
    assert.equal(links.length, 2, 'only the known mention and the hashtag are links');
  });

  test('links become <a href> with rel="nofollow noopener noreferrer"', async () => {
    const [a] = await registerUsers(url, ['ln']);
    const s = await a.client.v1.statuses.create({ status: 'read https://example.com/page?x=1&y=2.' });
    const [link] = anchors(s.content);
    assert.ok(link, s.content);
    assert.equal(link.attrs.href, 'https://example.com/page?x=1&y=2', 'trailing punctuation is not part of the link');
    assert.match(link.attrs.rel ?? '', /nofollow/);
    assert.match(link.attrs.rel ?? '', /noopener/);
  });

  test('HTML in the text is escaped, never passed through', async () => {
    const [a] = await registerUsers(url, ['xss']);
    const text = '<script>alert("x")</script> <b>bold</b> & <a href="javascript:evil()">x</a>';
    const s = await a.client.v1.statuses.create({ status: text });
    assert.doesNotMatch(s.content, /<script/i);
    assert.doesNotMatch(s.content, /<b>/i);
    assert.doesNotMatch(s.content, /href="javascript:/i);
    assert.match(s.content, /&lt;script&gt;/);
    assert.equal(htmlText(s.content), text, 'the text survives escaping unchanged');
  });

  test('newlines become <br /> and blank lines new paragraphs', async () => {
    const [a] = await registerUsers(url, ['nl']);
    const s = await a.client.v1.statuses.create({ status: 'one\ntwo\n\nthree' });
    assert.match(s.content, /^<p>one<br\s*\/?>two<\/p><p>three<\/p>$/);
  });

  test('Idempotency-Key: the same key returns the same status', async () => {
    const [a] = await registerUsers(url, ['idem']);
    const key = `key-${Date.now()}-${Math.random()}`;
    const meta = { requestInit: { headers: { 'Idempotency-Key': key } } };
    const s1 = await a.client.v1.statuses.create({ status: 'only once' }, meta);
    const s2 = await a.client.v1.statuses.create({ status: 'only once' }, meta);
    assert.equal(s2.id, s1.id);
    const s3 = await a.client.v1.statuses.create({ status: 'only once' }, { requestInit: { headers: { 'Idempotency-Key': `${key}-other` } } });
    assert.notEqual(s3.id, s1.id, 'another key is another status');
    const mine = await a.client.v1.accounts.$select(a.account.id).statuses.list();
    assert.equal(mine.length, 2);
    assert.equal((await a.client.v1.accounts.verifyCredentials()).statusesCount, 2);
  });

  test('the same Idempotency-Key from another user is another status', async () => {
    const [a, b] = await registerUsers(url, ['ida', 'idb']);
    const meta = { requestInit: { headers: { 'Idempotency-Key': 'shared-key' } } };
    const s1 = await a.client.v1.statuses.create({ status: 'mine' }, meta);
    const s2 = await b.client.v1.statuses.create({ status: 'mine too' }, meta);
    assert.notEqual(s1.id, s2.id);
    assert.equal(s2.account.id, b.account.id);
  });
});

describe('view, delete, source', () => {
  test('GET /api/v1/statuses/:id by another user and signed out (public)', async () => {
    const [a, b] = await registerUsers(url, ['ga', 'gb']);
    const s = await a.client.v1.statuses.create({ status: 'look at me' });
    const seen = await b.client.v1.statuses.$select(s.id).fetch();
    assert.equal(seen.id, s.id);
    assert.equal(seen.content, s.content);
    assert.equal(seen.account.id, a.account.id);
    const anon = await restClient(url).v1.statuses.$select(s.id).fetch();
    assert.equal(anon.id, s.id);
    await expectHttpError(b.client.v1.statuses.$select('999999999999').fetch(), 404, NOT_FOUND);
  });

  test('DELETE returns the status with its source text; then it is gone', async () => {
    const [a, b] = await registerUsers(url, ['da', 'db']);
    const s = await a.client.v1.statuses.create({ status: 'delete me @nobody #gone', spoilerText: 'cw' });
    const gone = await a.client.v1.statuses.$select(s.id).remove();
    assert.equal(gone.id, s.id);
    assert.equal(gone.text, 'delete me @nobody #gone', 'text is the plain-text source, for delete-and-redraft');
    assert.equal(gone.spoilerText, 'cw');
    await expectHttpError(b.client.v1.statuses.$select(s.id).fetch(), 404, NOT_FOUND);
    await expectHttpError(a.client.v1.statuses.$select(s.id).fetch(), 404, NOT_FOUND);
    assert.equal((await a.client.v1.accounts.verifyCredentials()).statusesCount, 0);
  });

  test('nobody can delete someone else\'s status', async () => {
    const [a, b] = await registerUsers(url, ['dx', 'dy']);
    const s = await a.client.v1.statuses.create({ status: 'mine' });
    await expectHttpError(b.client.v1.statuses.$select(s.id).remove(), [403, 404]);
    await b.client.v1.statuses.$select(s.id).fetch();
  });

  test('deleting a parent keeps the reply, which still names its parent id', async () => {
    const [a, b] = await registerUsers(url, ['dp', 'dq']);
    const parent = await a.client.v1.statuses.create({ status: 'parent' });
    const reply = await b.client.v1.statuses.create({ status: 'reply', inReplyToId: parent.id });
    await a.client.v1.statuses.$select(parent.id).remove();
    const r = await b.client.v1.statuses.$select(reply.id).fetch();
    assert.equal(r.id, reply.id);
  });

  test('GET /api/v1/statuses/:id/source gives the plain text', async () => {
    const [a] = await registerUsers(url, ['src']);
    const s = await a.client.v1.statuses.create({ status: 'plain <text> #tag', spoilerText: 'warn' });
    const src = await a.client.v1.statuses.$select(s.id).source.fetch();
    assert.deepEqual({ id: src.id, text: src.text, spoilerText: src.spoilerText }, { id: s.id, text: 'plain <text> #tag', spoilerText: 'warn' });
  });
});

describe('edit and history', () => {
  test('PUT edits the status; history lists every version, oldest first', async () => {
    const [a, b] = await registerUsers(url, ['ea', 'eb']);
    const s = await a.client.v1.statuses.create({ status: 'first version' });
    const e1 = await a.client.v1.statuses.$select(s.id).update({ status: 'second version #edited', spoilerText: 'now with cw', sensitive: true });
    assert.equal(e1.id, s.id, 'an edit keeps the id');
    assert.equal(e1.content.includes('second version'), true);
    assert.equal(e1.spoilerText, 'now with cw');
    assert.equal(e1.sensitive, true);
    assert.ok(e1.editedAt, 'edited_at is set');
    assert.ok(!Number.isNaN(Date.parse(e1.editedAt)));
    assert.deepEqual(e1.tags.map((t) => t.name), ['edited']);
    await a.client.v1.statuses.$select(s.id).update({ status: 'third version' });

    const seen = await b.client.v1.statuses.$select(s.id).fetch();
    assert.equal(seen.content, '<p>third version</p>');
    assert.ok(seen.editedAt);

    const history = await b.client.v1.statuses.$select(s.id).history.list();
    assert.equal(history.length, 3, 'the initial and every edited state');
    assert.deepEqual(history.map((h) => htmlText(h.content)), ['first version', 'second version #edited', 'third version']);
    assert.equal(history[1].spoilerText, 'now with cw');
    assert.equal(history[1].sensitive, true);
    for (const h of history) {
      assert.equal(h.account.id, a.account.id);
      assert.ok(!Number.isNaN(Date.parse(h.createdAt)));
    }
    const src = await a.client.v1.statuses.$select(s.id).source.fetch();
    assert.equal(src.text, 'third version');
  });

  test('a status never edited has a one-entry history', async () => {
    const [a] = await registerUsers(url, ['eh']);
    const s = await a.client.v1.statuses.create({ status: 'as is' });
    const history = await a.client.v1.statuses.$select(s.id).history.list();
    assert.equal(history.length, 1);
    assert.equal(history[0].content, s.content);
  });

  test('only the author can edit (404 for others); an empty edit is 422', async () => {
    const [a, b] = await registerUsers(url, ['ex', 'ey']);
    const s = await a.client.v1.statuses.create({ status: 'mine' });
    await expectHttpError(b.client.v1.statuses.$select(s.id).update({ status: 'hijacked' }), [403, 404]);
    await expectHttpError(a.client.v1.statuses.$select(s.id).update({ status: '' }), 422, /blank|empty|text|status/i);
    const again = await a.client.v1.statuses.$select(s.id).fetch();
    assert.equal(again.content, '<p>mine</p>');
  });

  test('those who boosted a status get an "update" notification when it is edited', async () => {
    const [author, booster, bystander] = await registerUsers(url, ['ua', 'ub', 'uc']);
    const s = await author.client.v1.statuses.create({ status: 'before' });
    await booster.client.v1.statuses.$select(s.id).reblog();
    await author.client.v1.statuses.$select(s.id).update({ status: 'after' });
    const notes = await booster.client.v1.notifications.list({ types: ['update'] });
    assert.equal(notes.length, 1, `one update notification expected, got ${JSON.stringify(notes.map((n) => n.type))}`);
    assert.equal(notes[0].type, 'update');
    assert.equal(notes[0].status.id, s.id);
    assert.equal(notes[0].account.id, author.account.id);
    assert.equal(htmlText(notes[0].status.content), 'after');
    const none = await bystander.client.v1.notifications.list();
    assert.equal(none.length, 0, 'someone who did not boost gets nothing');
  });
});

describe('context', () => {
  test('ancestors and descendants of a thread', async () => {
    const [a, b] = await registerUsers(url, ['ca', 'cb']);
    const root = await a.client.v1.statuses.create({ status: 'root' });
    const mid = await b.client.v1.statuses.create({ status: `@${a.username} mid`, inReplyToId: root.id });
    const leaf = await a.client.v1.statuses.create({ status: `@${b.username} leaf`, inReplyToId: mid.id });
    const side = await b.client.v1.statuses.create({ status: 'side', inReplyToId: root.id });

    const ctxMid = await a.client.v1.statuses.$select(mid.id).context.fetch();
    assert.deepEqual(ctxMid.ancestors.map((s) => s.id), [root.id]);
    assert.deepEqual(ctxMid.descendants.map((s) => s.id), [leaf.id]);

    const ctxRoot = await b.client.v1.statuses.$select(root.id).context.fetch();
    assert.deepEqual(ctxRoot.ancestors, []);
    assert.deepEqual(new Set(ctxRoot.descendants.map((s) => s.id)), new Set([mid.id, leaf.id, side.id]));
    const order = ctxRoot.descendants.map((s) => s.id);
    assert.ok(order.indexOf(mid.id) < order.indexOf(leaf.id), 'a reply comes after its parent');

    const ctxLeaf = await a.client.v1.statuses.$select(leaf.id).context.fetch();
    assert.deepEqual(ctxLeaf.ancestors.map((s) => s.id), [root.id, mid.id], 'ancestors are oldest first');
    assert.deepEqual(ctxLeaf.descendants, []);

    await expectHttpError(a.client.v1.statuses.$select('999999999999').context.fetch(), 404, NOT_FOUND);
  });
});

describe('favourites, boosts, bookmarks', () => {
  test('favourite and unfavourite', async () => {
    const [a, b, c] = await registerUsers(url, ['fa', 'fb', 'fc']);
    const s = await a.client.v1.statuses.create({ status: 'like me' });
    const f = await b.client.v1.statuses.$select(s.id).favourite();
    assert.equal(f.id, s.id);
    assert.equal(f.favourited, true);
    assert.equal(f.favouritesCount, 1);
    const again = await b.client.v1.statuses.$select(s.id).favourite();
    assert.equal(again.favouritesCount, 1, 'favouriting twice counts once');
    const asC = await c.client.v1.statuses.$select(s.id).fetch();
    assert.equal(asC.favourited, false, 'favourited is per viewer');
    assert.equal(asC.favouritesCount, 1);

    const by = await c.client.v1.statuses.$select(s.id).favouritedBy.list();
    assert.deepEqual(by.map((x) => x.id), [b.account.id]);

    const u = await b.client.v1.statuses.$select(s.id).unfavourite();
    assert.equal(u.favourited, false);
    assert.equal(u.favouritesCount, 0);
    const u2 = await b.client.v1.statuses.$select(s.id).unfavourite();
    assert.equal(u2.favourited, false, 'unfavourite is idempotent');
    assert.deepEqual(await c.client.v1.statuses.$select(s.id).favouritedBy.list(), []);
    await expectHttpError(b.client.v1.statuses.$select('999999999999').favourite(), 404, NOT_FOUND);
  });

  test('GET /api/v1/favourites lists what I favourited', async () => {
    const [a, b] = await registerUsers(url, ['fl', 'fm']);
    const s1 = await a.client.v1.statuses.create({ status: 'one' });
    const s2 = await a.client.v1.statuses.create({ status: 'two' });
    await b.client.v1.statuses.$select(s1.id).favourite();
    await b.client.v1.statuses.$select(s2.id).favourite();
    const favs = await collectPages(b.client.v1.favourites.list({ limit: 1 }));
    assert.deepEqual(favs.map((s) => s.id), [s2.id, s1.id], 'newest favourite first');
    assert.deepEqual(await a.client.v1.favourites.list(), []);
  });

  test('reblog and unreblog', async () => {
    const [a, b, c] = await registerUsers(url, ['bo', 'bp', 'bq']);
    const s = await a.client.v1.statuses.create({ status: 'boost me' });
    const r = await b.client.v1.statuses.$select(s.id).reblog();
    assert.notEqual(r.id, s.id, 'the reblog is a status of its own');
    assert.equal(r.account.id, b.account.id);
    assert.ok(r.reblog, 'reblog holds the boosted status');
    assert.equal(r.reblog.id, s.id);
    assert.equal(r.reblog.reblogged, true);
    assert.equal(r.reblog.reblogsCount, 1);

    const viewed = await c.client.v1.statuses.$select(s.id).fetch();
    assert.equal(viewed.reblogsCount, 1);
    assert.equal(viewed.reblogged, false);
    const by = await c.client.v1.statuses.$select(s.id).rebloggedBy.list();
    assert.deepEqual(by.map((x) => x.id), [b.account.id]);

    const again = await b.client.v1.statuses.$select(s.id).reblog();
    assert.equal(again.reblog.id, s.id);
    assert.equal((await c.client.v1.statuses.$select(s.id).fetch()).reblogsCount, 1, 'boosting twice counts once');

    const u = await b.client.v1.statuses.$select(s.id).unreblog();
    assert.equal(u.id, s.id, 'unreblog returns the original status');
    assert.equal(u.reblogged, false);
    assert.equal(u.reblogsCount, 0);
    assert.deepEqual(await c.client.v1.statuses.$select(s.id).rebloggedBy.list(), []);
    await expectHttpError(c.client.v1.statuses.$select(r.id).fetch(), 404, NOT_FOUND, 'the reblog status is gone');
  });

  test('a private status cannot be boosted by others', async () => {
    const [a, b] = await registerUsers(url, ['pb', 'pc']);
    await b.client.v1.accounts.$select(a.account.id).follow();
    const s = await a.client.v1.statuses.create({ status: 'followers only', visibility: 'private' });
    await expectHttpError(b.client.v1.statuses.$select(s.id).reblog(), [403, 404, 422]);
  });

  test('a company post is boosted inside the company: the boost is company too, and a private channel\'s post is not boosted', async () => {
    const [a, b, c] = await registerUsers(url, ['cba', 'cbb', 'cbc']);
    await c.client.v1.accounts.$select(b.account.id).follow();
    const s = await a.client.v1.statuses.create({ status: 'inside news', visibility: 'company' });
    const boost = await b.client.v1.statuses.$select(s.id).reblog(); // asks for nothing: public
    assert.equal(boost.reblog.id, s.id);
    assert.equal(boost.visibility, 'private', 'apps see a company boost as the company post: "private"');
    assert.equal(boost.partyline?.audience, 'company', 'never wider than the post it boosts');
    assert.equal((await a.client.v1.statuses.$select(s.id).fetch()).reblogsCount, 1);
    const home = await c.client.v1.timelines.home.list({ limit: 10 });
    assert.ok(home.some((x) => x.id === boost.id && x.reblog?.id === s.id), "in the booster's follower's home");
    // signed out (public_read is on here), neither the post nor its boost opens
    assert.equal((await raw(url, `/api/v1/statuses/${boost.id}`)).status, 404);
    assert.equal((await raw(url, `/api/v1/statuses/${s.id}`)).status, 404);
    assert.equal((await raw(url, `/api/v1/accounts/${b.account.id}/statuses`)).json.length, 0, "the booster's profile, signed out");
    // a boost asked to be followers-only stays so
    const priv = await c.client.v1.statuses.$select(s.id).reblog({ visibility: 'private' });
    assert.equal(priv.partyline?.audience, 'private');

    // a private channel's post belongs to its members: no boost, by members either
    const ch = (await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: a.token,
      json: { name: `cb${Date.now() % 1e9}`, display_name: 'Inner', private: true } })).json;
    const inner = await a.client.v1.statuses.create({ status: 'members only', channelId: ch.id });
    assert.equal(inner.partyline.channel_id ?? inner.partyline.channelId, ch.id);
    await expectHttpError(a.client.v1.statuses.$select(inner.id).reblog(), 403, /cannot be boosted/);
  });

  test('bookmark and unbookmark; GET /api/v1/bookmarks', async () => {
    const [a, b] = await registerUsers(url, ['bk', 'bl']);
    const s1 = await a.client.v1.statuses.create({ status: 'keep 1' });
    const s2 = await a.client.v1.statuses.create({ status: 'keep 2' });
    const k1 = await b.client.v1.statuses.$select(s1.id).bookmark();
    assert.equal(k1.bookmarked, true);
    await b.client.v1.statuses.$select(s2.id).bookmark();
    const list = await b.client.v1.bookmarks.list();
    assert.deepEqual(list.map((s) => s.id), [s2.id, s1.id], 'newest bookmark first');
    for (const s of list) assert.equal(s.bookmarked, true);
    assert.deepEqual(await a.client.v1.bookmarks.list(), [], 'bookmarks are private to their owner');
    assert.equal((await a.client.v1.statuses.$select(s1.id).fetch()).bookmarked, false);

    const u = await b.client.v1.statuses.$select(s1.id).unbookmark();
    assert.equal(u.bookmarked, false);
    assert.deepEqual((await b.client.v1.bookmarks.list()).map((s) => s.id), [s2.id]);

    const r = await raw(url, '/api/v1/bookmarks', {});
    assert.equal(r.status, 401, 'bookmarks need a user token');
  });
});
