// links.test.mjs — the links the API hands out open something (issue 11 item 5):
// Status.url (/@name/id) and Account.url (/@name) are the web client's page (src/http/web.c;
// the client routes to the post or the profile: tests/browser/links.test.mjs), and
// GET /api/oembed?url=… (docs.joinmastodon.org/methods/oembed) describes a post for another
// site — only one a signed-out visitor may read (app/audience.c), 404 for anything else.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let closed; // public_read off (the default)
let open; // public_read on
before(async () => {
  [closed, open] = await Promise.all([
    startServer(),
    startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } }),
  ]);
});
after(async () => {
  await Promise.all([closed?.stop(), open?.stop()]);
});

const oembed = (srv, url, extra = '', token) =>
  raw(srv.url, `/api/oembed?url=${encodeURIComponent(url)}${extra}`, { token });

async function assertNotFound(srv, url, what, token) {
  const r = await oembed(srv, url, '', token);
  assert.equal(r.status, 404, `${what}: ${r.text}`);
  assert.equal(r.json?.error, 'Record not found', what);
}

describe('Status.url and Account.url', () => {
  test('open the web client, whoever asks and whether or not the post exists', async () => {
    const [a] = await registerUsers(closed.url, ['lnk']);
    const st = await a.client.v1.statuses.create({ status: 'a link to share', visibility: 'company' });
    const home = await raw(closed.url, '/');
    for (const link of [st.url, a.account.url, st.account.url]) {
      assert.ok(link.startsWith(closed.url), link);
      const r = await raw(closed.url, new URL(link).pathname);
      assert.equal(r.status, 200, link);
      assert.match(r.headers.get('content-type'), /^text\/html/);
      assert.equal(r.text, home.text, 'the page is the client itself');
      assert.equal(r.headers.get('content-security-policy'), home.headers.get('content-security-policy'));
      assert.equal(r.headers.get('etag'), home.headers.get('etag'));
    }
    // the answer says nothing of what exists: a missing person or post looks the same
    const missing = await raw(closed.url, '/@nobody_here/1234567');
    assert.equal(missing.status, 200);
    assert.equal(missing.text, home.text);
    assert.equal((await raw(closed.url, '/@nobody_here')).text, home.text);
    // a listening alert's link (in the post that tells it) is the page too; nothing else there
    assert.equal((await raw(closed.url, '/listening/alerts/1234567')).text, home.text);
    for (const p of ['/listening/alerts/', '/listening/alerts/x', '/listening/alerts/1/2', '/listening']) {
      assert.equal((await raw(closed.url, p)).status, 404, p);
    }
  });

  test('HEAD answers too, and other addresses under /@ stay 404', async () => {
    const [a] = await registerUsers(closed.url, ['lnh']);
    const head = await fetch(new URL(`/@${a.username}`, closed.url), { method: 'HEAD' });
    assert.equal(head.status, 200);
    for (const p of ['/@', `/@${a.username}/`, `/@${a.username}/x`, `/@${a.username}/1/embed`, '/@a.b']) {
      const r = await raw(closed.url, p);
      assert.equal(r.status, 404, p);
      assert.equal(typeof r.json?.error, 'string', p);
    }
    const post = await raw(closed.url, `/@${a.username}`, { method: 'POST' });
    assert.notEqual(post.status, 200, 'only GET and HEAD are the page');
  });
});

describe('GET /api/oembed', () => {
  test('a public post with public_read: Mastodon\'s rich response, no token needed', async () => {
    const [a] = await registerUsers(open.url, ['oe']);
    await a.client.v1.accounts.updateCredentials({ displayName: 'Ann <Lee>' });
    const st = await a.client.v1.statuses.create({ status: 'Quarterly numbers are <out>', visibility: 'public' });
    const r = await oembed(open, st.url);
    assert.equal(r.status, 200, r.text);
    const o = r.json;
    assert.equal(o.type, 'rich');
    assert.equal(o.version, '1.0');
    assert.equal(o.title, `New status by ${a.username}`);
    assert.equal(o.author_name, 'Ann <Lee>');
    assert.equal(o.author_url, a.account.url);
    assert.equal(o.provider_name, new URL(open.url).host);
    assert.equal(o.provider_url, `${open.url}/`);
    assert.equal(o.cache_age, 86400);
    assert.equal(o.width, 400);
    assert.equal(o.height, null);
    assert.match(o.html, /^<blockquote class="partyline-embed"/);
    assert.ok(o.html.includes(st.content), 'the post as the server renders it');
    assert.ok(o.html.includes('&lt;out&gt;') && !o.html.includes('<out>'), 'user text escaped');
    assert.ok(o.html.includes('Ann &lt;Lee&gt;') && !o.html.includes('<Lee>'), 'the name escaped');
    assert.ok(o.html.includes(`href="${st.url}"`), 'a link to the post');
    assert.doesNotMatch(o.html, /<script|<iframe/i);

    const sized = await oembed(open, st.url, '&maxwidth=250&maxheight=300');
    assert.equal(sized.json.width, 250);
    assert.equal(sized.json.height, 300);
    const byUri = await oembed(open, st.uri);
    assert.equal(byUri.status, 200, 'the uri names the post too');
    const unlisted = await a.client.v1.statuses.create({ status: 'quiet but public', visibility: 'unlisted' });
    assert.equal((await oembed(open, unlisted.url)).status, 200, 'unlisted is public, as in Mastodon');
    const warned = await a.client.v1.statuses.create({ status: 'the spoiler itself', spoilerText: 'Film ending', visibility: 'public' });
    const w = (await oembed(open, warned.url)).json;
    assert.match(w.html, /Content warning: Film ending/);
    assert.doesNotMatch(w.html, /the spoiler itself/, 'behind a content warning only the warning shows');
  });

  test('404 for every post a signed-out visitor may not read, even asked with a token', async () => {
    const [a, b] = await registerUsers(open.url, ['oep', 'oeq']);
    await b.client.v1.accounts.$select(a.account.id).follow();
    for (const visibility of ['company', 'private', 'direct']) {
      const st = await a.client.v1.statuses.create({ status: `@${b.username} for some only`, visibility });
      await assertNotFound(open, st.url, visibility);
      await assertNotFound(open, st.url, `${visibility}, with a reader's token`, b.token);
    }
    const listed = await raw(open.url, '/api/v1/lists', { method: 'POST', token: a.token, json: { title: 'team' } });
    const lp = await raw(open.url, '/api/v1/statuses', { method: 'POST', token: a.token, json: { status: 'list only', visibility: `list:${listed.json.id}` } });
    assert.equal(lp.status, 200, lp.text);
    await assertNotFound(open, lp.json.url, 'a list post');

    const ch = await raw(open.url, '/api/v1/partyline/channels', {
      method: 'POST', token: a.token, json: { name: uniqueName('oech'), display_name: 'Board', private: true },
    });
    assert.equal(ch.status, 200, ch.text);
    const inPrivate = await raw(open.url, '/api/v1/statuses', {
      method: 'POST', token: a.token, json: { status: 'board only', visibility: 'public', channel_id: ch.json.id },
    });
    assert.equal(inPrivate.status, 200, inPrivate.text);
    await assertNotFound(open, inPrivate.json.url, 'a post of a private channel');

    const pub = await a.client.v1.statuses.create({ status: 'public one', visibility: 'public' });
    const boost = await b.client.v1.statuses.$select(pub.id).reblog();
    await assertNotFound(open, `${open.url}/@${b.username}/${boost.id}`, 'a boost');
    await a.client.v1.statuses.$select(pub.id).remove();
    await assertNotFound(open, pub.url, 'a deleted post');
  });

  test('public_read off: no post is described to the outside', async () => {
    const [a] = await registerUsers(closed.url, ['oec']);
    const st = await a.client.v1.statuses.create({ status: 'public inside the company', visibility: 'public' });
    await assertNotFound(closed, st.url, 'public_read off');
    await assertNotFound(closed, st.url, 'public_read off, with the author\'s token', a.token);
  });

  test('addresses that are not a post here: 404; malformed parameters: 400 and 422', async () => {
    const [a, b] = await registerUsers(open.url, ['oea', 'oeb']);
    const st = await a.client.v1.statuses.create({ status: 'addressed', visibility: 'public' });
    const path = new URL(st.url).pathname;
    for (const [url, what] of [
      [`https://elsewhere.example${path}`, 'another host'],
      [`${open.url}/@${b.username}/${st.id}`, 'another author\'s name'],
      [`${open.url}/@${a.username}/${st.id}x`, 'a bad id'],
      [`${open.url}/@${a.username}/0${st.id}`, 'a leading zero'],
      [`${open.url}/@${a.username}/99999999999999999999`, 'an id too long'],
      [`${open.url}/@${a.username}`, 'a profile'],
      [`${open.url}/tags/x`, 'a hashtag'],
      ['not a url', 'not a url'],
    ]) await assertNotFound(open, url, what);
    const upper = await oembed(open, `${open.url}/@${a.username.toUpperCase()}/${st.id}`);
    assert.equal(upper.status, 200, 'the name in any case, as usernames are');

    const none = await raw(open.url, '/api/oembed');
    assert.equal(none.status, 400);
    assert.match(none.json.error, /url/);
    for (const bad of ['&maxwidth=0', '&maxwidth=-3', '&maxwidth=wide', '&maxheight=1.5', '&maxwidth=99999999999']) {
      const r = await oembed(open, st.url, bad);
      assert.equal(r.status, 422, bad);
      assert.match(r.json.error, /must be a positive whole number/, bad);
    }
  });
});
