// routing.test.mjs — src/api/api.c seen from a client: percent-encoded path parameters (a
// hashtag with an accent), and what a request no route answers gets: 404, 405 with Allow, or
// 501 for a method the server implements nowhere; always a JSON {"error": …}.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from './harness.mjs';

let server;
let url;
let alice;

before(async () => {
  server = await startServer();
  url = server.url;
  alice = await registerUser(url, uniqueName('route'));
});

after(async () => {
  await server?.stop();
});

describe('path parameters are percent-decoded (issue 10 item 13)', () => {
  test('a non-ASCII hashtag opens: its timeline, the tag, following it', async () => {
    const s = await alice.client.v1.statuses.create({ status: 'Lunch at the #café', visibility: 'public' });
    assert.deepEqual(s.tags.map((t) => t.name), ['café']);

    // masto (and any browser) sends the path percent-encoded: /timelines/tag/caf%C3%A9
    const tl = await alice.client.v1.timelines.tag.$select('café').list();
    assert.ok(tl.some((x) => x.id === s.id), 'the #café timeline should hold the post');
    const enc = await raw(url, '/api/v1/timelines/tag/caf%C3%A9', { token: alice.token });
    assert.equal(enc.status, 200, enc.text);
    assert.ok(enc.json.some((x) => x.id === s.id));

    const followed = await alice.client.v1.tags.$select('café').follow();
    assert.equal(followed.name, 'café');
    assert.equal(followed.following, true);
    const tag = await alice.client.v1.tags.$select('café').fetch();
    assert.equal(tag.name, 'café');
    assert.equal(tag.following, true);
    const mine = await alice.client.v1.followedTags.list();
    assert.ok(mine.some((t) => t.name === 'café'), `followed tags: ${JSON.stringify(mine.map((t) => t.name))}`);
    const unfollowed = await alice.client.v1.tags.$select('café').unfollow();
    assert.equal(unfollowed.following, false);
  });

  test('an ASCII tag encoded needlessly is the same tag', async () => {
    const s = await alice.client.v1.statuses.create({ status: 'see #plain', visibility: 'public' });
    const r = await raw(url, '/api/v1/timelines/tag/%70lain', { token: alice.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.some((x) => x.id === s.id));
  });

  for (const [what, path] of [
    ['half a character', '/api/v1/timelines/tag/caf%C3'],
    ['bytes that are not UTF-8', '/api/v1/tags/%FF%FE'],
    ['a NUL byte', '/api/v1/tags/a%00b'],
    ['a truncated escape', '/api/v1/statuses/12%3'],
    ['an escape that is not hex', '/api/v1/accounts/1%zz'],
  ]) {
    test(`a path parameter with ${what} is 400 with a JSON error`, async () => {
      const r = await raw(url, path, { token: alice.token });
      assert.equal(r.status, 400, `${path}: ${r.text}`);
      assert.match(r.headers.get('content-type'), /application\/json/);
      assert.match(r.json.error, /path parameter/i);
    });
  }
});

describe('a request no route answers (issue 10 item 17)', () => {
  test('a known path with another method is 405 with Allow, in JSON', async () => {
    let r = await raw(url, '/api/v1/timelines/home', { method: 'DELETE', token: alice.token });
    assert.equal(r.status, 405, r.text);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    assert.match(r.headers.get('content-type'), /application\/json/);
    assert.match(r.json.error, /not allowed/i);

    r = await raw(url, '/api/v1/statuses/1', { method: 'PATCH', token: alice.token });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD, PUT, DELETE');

    r = await raw(url, '/api/v1/partyline/channels', { method: 'PUT', token: alice.token });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD, POST');
  });

  test('a method the server implements nowhere is 501, in JSON, whatever the path', async () => {
    for (const [method, path] of [['OPTIONS', '/api/v1/timelines/home'], ['PROPFIND', '/api/v1/statuses'], ['OPTIONS', '/no/such/path']]) {
      const r = await raw(url, path, { method, token: alice.token });
      assert.equal(r.status, 501, `${method} ${path}: ${r.status} ${r.text}`);
      assert.match(r.headers.get('content-type'), /application\/json/);
      assert.match(r.json.error, /not implemented/i);
    }
  });

  test('an unknown path is still 404 in JSON, and HEAD still answers a GET route', async () => {
    const r = await raw(url, '/api/v1/nothing/here', { token: alice.token });
    assert.equal(r.status, 404);
    assert.match(r.json.error, /not found/i);
    const head = await fetch(`${url}/api/v1/instance`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });
});

describe('a trailing slash is ignored, as Rails does (issue 11 item 4)', () => {
  test('/api/v1/instance/ is the instance, with or without a token', async () => {
    const plain = await raw(url, '/api/v1/instance');
    const slash = await raw(url, '/api/v1/instance/');
    assert.equal(slash.status, 200, slash.text);
    assert.equal(slash.json.uri, plain.json.uri);
    assert.equal(slash.json.version, plain.json.version);
  });

  test('a route with a parameter and a write both take the slash', async () => {
    const me = await raw(url, `/api/v1/accounts/${alice.account.id}/`, { token: alice.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.id, alice.account.id);
    const posted = await raw(url, '/api/v1/statuses/', { method: 'POST', token: alice.token, json: { status: 'slash' } });
    assert.equal(posted.status, 200, posted.text);
    const read = await alice.client.v1.statuses.$select(posted.json.id).fetch();
    assert.equal(read.content, '<p>slash</p>');
  });

  test('toot\'s sign-in address (/oauth/authorize/?…) opens the sign-in form', async () => {
    const r = await raw(url, '/oauth/authorize/?client_id=nobody&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read');
    const plain = await raw(url, '/oauth/authorize?client_id=nobody&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read');
    assert.notEqual(r.status, 404, r.text);
    assert.equal(r.status, plain.status);
    assert.equal(r.text, plain.text);
  });

  test('a slash does not make an unknown path known', async () => {
    const r = await raw(url, '/api/v1/nothing-here/');
    assert.equal(r.status, 404);
    assert.match(r.json.error, /not found/i);
  });
});
