// Channel unread counts (our extension, docs/api.md "Channel unread counts"; the rules are
// src/app/channel_reads.h): GET /api/v1/partyline/channels/unread lists one's channels with
// the posts after one's read marker, POST /api/v1/partyline/channels/:id/read moves it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  createApp, passwordLogin, raw, registerUsers, startServer, uniqueName,
} from './harness.mjs';

let server;
let url;
const CAP = 3;

before(async () => {
  server = await startServer({ env: { PARTYLINE_MAX_CHANNEL_UNREAD: String(CAP) } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const CH = '/api/v1/partyline/channels';

async function call(who, method, path, { json, status = 200, token } = {}) {
  const r = await raw(url, path, { method, token: token ?? who.token, json });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  if (status >= 400) assert.equal(typeof r.json?.error, 'string', 'errors are {"error": "..."}');
  return r.json;
}

const makeChannel = (owner, opts = {}) =>
  call(owner, 'POST', CH, { json: { name: uniqueName('ch'), display_name: 'A channel', ...opts } });
const post = (who, ch, status) => call(who, 'POST', '/api/v1/statuses', { json: { status, channel_id: ch.id } });
const unreadOf = async (who, ch) => (await call(who, 'GET', `${CH}/unread?limit=80`)).find((x) => x.id === ch.id);

describe('channel unread counts', () => {
  test("count others' posts after joining, not one's own; reading sets them to 0; new posts raise them", async () => {
    const [owner, reader] = await registerUsers(url, ['own', 'rd']);
    const ch = await makeChannel(owner);
    await post(owner, ch, 'before the reader joined');
    await call(reader, 'POST', `${CH}/${ch.id}/join`);
    let u = await unreadOf(reader, ch);
    assert.ok(u, 'a channel one joined is listed');
    assert.equal(u.unread_count, 0, 'posts from before one joined are not unread');
    assert.equal(u.unread_more, false);
    assert.equal(u.member, true);
    assert.equal(typeof u.last_read_id, 'string');

    await post(owner, ch, 'first news');
    await post(owner, ch, 'second news');
    await post(reader, ch, 'my own reply is not unread to me');
    u = await unreadOf(reader, ch);
    assert.equal(u.unread_count, 2);
    assert.equal((await unreadOf(owner, ch)).unread_count, 1, "the owner counts the reader's post");

    const read = await call(reader, 'POST', `${CH}/${ch.id}/read`);
    assert.equal(read.id, ch.id);
    assert.equal(read.unread_count, 0);
    assert.equal((await unreadOf(reader, ch)).unread_count, 0);

    await post(owner, ch, 'third news');
    assert.equal((await unreadOf(reader, ch)).unread_count, 1);
  });

  test('a count stops at max_channel_unread and says there are more', async () => {
    const [owner, reader] = await registerUsers(url, ['own', 'rd']);
    const ch = await makeChannel(owner);
    await call(reader, 'POST', `${CH}/${ch.id}/join`);
    for (let i = 0; i < CAP; i++) await post(owner, ch, `news ${i}`);
    let u = await unreadOf(reader, ch);
    assert.equal(u.unread_count, CAP);
    assert.equal(u.unread_more, false, 'exactly the cap is not more');
    await post(owner, ch, 'one too many');
    await post(owner, ch, 'two too many');
    u = await unreadOf(reader, ch);
    assert.equal(u.unread_count, CAP);
    assert.equal(u.unread_more, true);
  });

  test('last_read_id marks up to a post, never backwards; a bad one is 422', async () => {
    const [owner, reader] = await registerUsers(url, ['own', 'rd']);
    const ch = await makeChannel(owner);
    await call(reader, 'POST', `${CH}/${ch.id}/join`);
    const first = await post(owner, ch, 'one');
    await post(owner, ch, 'two');
    const m = await call(reader, 'POST', `${CH}/${ch.id}/read`, { json: { last_read_id: first.id } });
    assert.equal(m.last_read_id, first.id);
    assert.equal(m.unread_count, 1, 'the post after the marker is still unread');
    await call(reader, 'POST', `${CH}/${ch.id}/read`);
    const back = await call(reader, 'POST', `${CH}/${ch.id}/read`, { json: { last_read_id: first.id } });
    assert.equal(back.unread_count, 0, 'an older marker does not move it back');
    assert.ok(BigInt(back.last_read_id) > BigInt(first.id));
    const bad = await call(reader, 'POST', `${CH}/${ch.id}/read`, { json: { last_read_id: 'soon' }, status: 422 });
    assert.match(bad.error, /last_read_id/);
  });

  test("a muted author's posts are not counted", async () => {
    const [owner, reader, noisy] = await registerUsers(url, ['own', 'rd', 'noisy']);
    const ch = await makeChannel(owner);
    await call(reader, 'POST', `${CH}/${ch.id}/join`);
    await call(noisy, 'POST', `${CH}/${ch.id}/join`);
    await call(reader, 'POST', `/api/v1/accounts/${noisy.account.id}/mute`);
    await post(noisy, ch, 'loud');
    await post(owner, ch, 'quiet');
    assert.equal((await unreadOf(reader, ch)).unread_count, 1);
  });

  test("a private channel's outsider gets 404 and does not see it listed", async () => {
    const [owner, outsider] = await registerUsers(url, ['own', 'out']);
    const ch = await makeChannel(owner, { private: true });
    await post(owner, ch, 'members only');
    const r = await call(outsider, 'POST', `${CH}/${ch.id}/read`, { status: 404 });
    assert.match(r.error, /not found/i);
    assert.equal(await unreadOf(outsider, ch), undefined);
    await call(outsider, 'POST', `${CH}/999999999/read`, { status: 404 });
  });

  test('the list needs read:statuses, marking write:statuses', async () => {
    const [someone] = await registerUsers(url, ['sc']);
    const app = await createApp(url, { scopes: 'read:accounts write:accounts' });
    const tok = await passwordLogin(url, app, someone.username, undefined, 'read:accounts write:accounts');
    const token = tok.accessToken ?? tok.access_token;
    await call(someone, 'GET', `${CH}/unread`, { token, status: 403 });
    const ch = await makeChannel(someone);
    await call(someone, 'POST', `${CH}/${ch.id}/read`, { token, status: 403 });
  });
});
