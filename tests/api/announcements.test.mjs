// announcements.test.mjs — company announcements (issue 11 item 6): Mastodon's
// /api/v1/announcements with dismiss and reactions (docs.joinmastodon.org/methods/announcements,
// entities/Announcement) through masto.js, and our administrators' side: the admin API
// /api/v1/partyline/admin/announcements (docs/api.md). The command line's
// `partyline admin announce` is in admin.test.mjs. Mirrors src/api/mastodon/announcements.c.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import {
  ALL_SCOPES, binaryPath, collectEvents, createApp, expectHttpError, passwordLogin, raw, registerUsers, restClient, startServer, uniqueName,
} from './harness.mjs';

const run = promisify(execFile);
const MAX_CHARS = 60;
const MAX_ANNOUNCEMENTS = 4;

let srv;
let url;
let admin; // {token, client, id}
let amara; // an ordinary person
let jonas;

/** Every member of the Announcement entity, in the docs' order (`read` for a signed-in user). */
const KEYS = ['id', 'content', 'starts_at', 'ends_at', 'all_day', 'published_at', 'updated_at', 'read',
  'mentions', 'statuses', 'tags', 'emojis', 'reactions'];

async function makeAdmin() {
  const username = uniqueName('boss');
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_'))), ...srv.cliEnv };
  await run(binaryPath(), ['admin', 'create-user', '--data', srv.dataDir, '--username', username,
    '--email', `${username}@example.com`, '--password', 'long enough pw', '--admin'], { env });
  const app = await createApp(url, { scopes: `${ALL_SCOPES} admin:read admin:write` });
  const tok = await passwordLogin(url, app, username, 'long enough pw', `${ALL_SCOPES} admin:read admin:write`);
  const client = restClient(url, tok.accessToken);
  const me = await client.v1.accounts.verifyCredentials();
  return { token: tok.accessToken, client, id: me.id, username, app };
}

/** POST /api/v1/partyline/admin/announcements as the admin; the raw answer. */
function announce(body, token = admin.token) {
  return raw(url, '/api/v1/partyline/admin/announcements', { method: 'POST', token, json: body });
}

async function announceOk(body) {
  const r = await announce(body);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function removeAll() {
  const all = await raw(url, '/api/v1/partyline/admin/announcements', { token: admin.token });
  for (const a of all.json) await raw(url, `/api/v1/partyline/admin/announcements/${a.id}`, { method: 'DELETE', token: admin.token });
}

/** GET /api/v1/announcements as the raw JSON (snake_case, to compare with the docs). */
async function rawList(who, query = '') {
  const r = await raw(url, `/api/v1/announcements${query}`, { token: who.token });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const iso = (ms) => new Date(ms).toISOString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  srv = await startServer({
    env: {
      PARTYLINE_MAX_ANNOUNCEMENT_CHARACTERS: String(MAX_CHARS),
      PARTYLINE_MAX_ANNOUNCEMENTS: String(MAX_ANNOUNCEMENTS),
    },
  });
  url = srv.url;
  admin = await makeAdmin();
  [amara, jonas] = await registerUsers(url, ['amara', 'jonas']);
});

after(async () => srv?.stop());

describe('reading announcements (masto.js)', () => {
  test('an announcement by an administrator is listed to everyone signed in, as the entity documents it', async () => {
    await removeAll();
    const made = await announceOk({ text: `Office closed on Friday, ask @${amara.username} #facilities` });
    const raws = await rawList(amara);
    assert.equal(raws.length, 1);
    const a = raws[0];
    assert.deepEqual(Object.keys(a), KEYS);
    assert.equal(a.id, made.id);
    assert.equal(typeof a.id, 'string');
    assert.match(a.content, /^<p>Office closed on Friday, ask /);
    assert.match(a.content, new RegExp(`<a href="${url}/@${amara.username}"[^>]*>`), 'the mention is a link, as in a post');
    assert.match(a.content, /#<span>facilities<\/span><\/a>/);
    assert.equal(a.starts_at, null);
    assert.equal(a.ends_at, null);
    assert.equal(a.all_day, false);
    assert.match(a.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(a.updated_at, /^\d{4}-\d\d-\d\dT/);
    assert.equal(a.read, false);
    assert.deepEqual(a.mentions, [{ id: amara.account.id, username: amara.username, url: `${url}/@${amara.username}`, acct: amara.username }]);
    assert.deepEqual(a.statuses, []);
    assert.deepEqual(a.tags, [{ name: 'facilities', url: `${url}/tags/facilities` }]);
    assert.deepEqual(a.emojis, []);
    assert.deepEqual(a.reactions, []);
    // and masto.js reads it
    const list = await amara.client.v1.announcements.list();
    assert.equal(list.length, 1);
    assert.equal(list[0].id, made.id);
    assert.equal(list[0].allDay, false);
    assert.equal(list[0].read, false);
  });

  test('text is escaped, never taken as HTML', async () => {
    await removeAll();
    await announceOk({ text: '<script>alert(1)</script> & <b>bold</b>' });
    const [a] = await rawList(amara);
    assert.ok(!a.content.includes('<script>'), a.content);
    assert.match(a.content, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &lt;b&gt;bold&lt;\/b&gt;/);
  });

  test('signed out is 401; a token without read:statuses is 403', async () => {
    const r = await raw(url, '/api/v1/announcements');
    assert.equal(r.status, 401);
    assert.equal(typeof r.json.error, 'string');
    const madeUp = await raw(url, '/api/v1/announcements', { token: 'made-up-token-0123456789abcdef' });
    assert.equal(madeUp.status, 401, 'a made-up token');
    assert.equal(typeof madeUp.json.error, 'string');
    const app = await createApp(url);
    const narrow = await passwordLogin(url, app, amara.email, amara.password, 'read:accounts');
    await expectHttpError(restClient(url, narrow.accessToken).v1.announcements.list(), 403, /scope/);
  });

  test('only running announcements are listed: a scheduled one appears at its start, an ended one leaves', async () => {
    await removeAll();
    const now = Date.now();
    const soon = await announceOk({ text: 'starts in a moment', starts_at: iso(now + 5000), ends_at: iso(now + 60_000) });
    const brief = await announceOk({ text: 'ends in a moment', ends_at: iso(now + 5000) });
    const later = await announceOk({ text: 'next month', starts_at: iso(now + 30 * 86400_000), ends_at: iso(now + 31 * 86400_000), all_day: true });
    let ids = (await rawList(amara)).map((a) => a.id);
    assert.deepEqual(ids, [brief.id], 'only the running one');
    // a scheduled announcement cannot be found by its id either
    await expectHttpError(amara.client.v1.announcements.$select(later.id).dismiss(), 404, /not found/i);
    await sleep(Math.max(0, now + 5300 - Date.now())); // past the moment both change
    const now2 = await rawList(amara);
    ids = now2.map((a) => a.id);
    assert.deepEqual(ids, [soon.id], 'the scheduled one started, the brief one ended');
    assert.equal(now2[0].starts_at, iso(now + 5000));
    assert.equal(now2[0].published_at, iso(now + 5000), 'published when it starts');
    assert.equal(later.all_day, true);
    assert.equal(later.starts_at, iso(now + 30 * 86400_000));
    await expectHttpError(amara.client.v1.announcements.$select(brief.id).reactions.$select('👍').update(), 404, /not found/i);
  });

  test('they are in Mastodon\'s order: by start, then as posted', async () => {
    await removeAll();
    const now = Date.now();
    const a = await announceOk({ text: 'second' });
    const b = await announceOk({ text: 'first, it started earlier', starts_at: iso(now - 3600_000), ends_at: iso(now + 3600_000) });
    const c = await announceOk({ text: 'third' });
    assert.deepEqual((await rawList(amara)).map((x) => x.id), [b.id, a.id, c.id]);
  });
});

describe('dismissing (read)', () => {
  test('dismiss marks it read for that person only; with_dismissed=false leaves it out', async () => {
    await removeAll();
    const a = await announceOk({ text: 'please read' });
    await amara.client.v1.announcements.$select(a.id).dismiss();
    await amara.client.v1.announcements.$select(a.id).dismiss(); // twice is no error
    assert.equal((await rawList(amara))[0].read, true);
    assert.equal((await rawList(jonas))[0].read, false);
    assert.deepEqual(await rawList(amara, '?with_dismissed=false'), []);
    assert.equal((await rawList(amara, '?with_dismissed=true')).length, 1);
    assert.equal((await rawList(jonas, '?with_dismissed=false')).length, 1);
    const bad = await raw(url, '/api/v1/announcements?with_dismissed=maybe', { token: amara.token });
    assert.equal(bad.status, 422);
    assert.match(bad.json.error, /with_dismissed/);
  });

  test('an unknown announcement is 404; dismissing needs write:accounts', async () => {
    await expectHttpError(amara.client.v1.announcements.$select('123456789').dismiss(), 404, /not found/i);
    const a = await announceOk({ text: 'scoped' });
    const app = await createApp(url);
    const narrow = await passwordLogin(url, app, amara.email, amara.password, 'read write:favourites');
    await expectHttpError(restClient(url, narrow.accessToken).v1.announcements.$select(a.id).dismiss(), 403, /scope/);
  });
});

describe('reactions', () => {
  test('people react with Unicode emoji; counts and `me` are per viewer; removing takes one\'s own away', async () => {
    await removeAll();
    const a = await announceOk({ text: 'react to me' });
    await amara.client.v1.announcements.$select(a.id).reactions.$select('👍').update();
    await amara.client.v1.announcements.$select(a.id).reactions.$select('👍').update(); // again: no change
    await jonas.client.v1.announcements.$select(a.id).reactions.$select('👍').update();
    await jonas.client.v1.announcements.$select(a.id).reactions.$select('🎉').update();
    await jonas.client.v1.announcements.$select(a.id).reactions.$select('👩🏽‍💻').update(); // a ZWJ sequence with a skin tone
    await jonas.client.v1.announcements.$select(a.id).reactions.$select('🇩🇪').update(); // a flag
    let [seen] = await rawList(amara);
    assert.deepEqual(seen.reactions, [
      { name: '👍', count: 2, me: true },
      { name: '🎉', count: 1, me: false },
      { name: '👩🏽‍💻', count: 1, me: false },
      { name: '🇩🇪', count: 1, me: false },
    ]);
    [seen] = await rawList(jonas);
    assert.deepEqual(seen.reactions.map((r) => r.me), [true, true, true, true]);
    await amara.client.v1.announcements.$select(a.id).reactions.$select('👍').remove();
    [seen] = await rawList(amara);
    assert.deepEqual(seen.reactions[0], { name: '👍', count: 1, me: false });
    // removing a reaction one does not have is 404 (Mastodon's find_by!)
    await expectHttpError(amara.client.v1.announcements.$select(a.id).reactions.$select('🎉').remove(), 404, /not found/i);
  });

  test('a name that is not one emoji is 422 with a JSON error, and nothing is stored', async () => {
    await removeAll();
    const a = await announceOk({ text: 'no words please' });
    for (const name of ['abc', 'bongoCat', '1', '👍👍', '👍 ', '<b>', '‍', '👍\u200d']) {
      const r = await raw(url, `/api/v1/announcements/${a.id}/reactions/${encodeURIComponent(name)}`, { method: 'PUT', token: amara.token });
      assert.equal(r.status, 422, `${JSON.stringify(name)}: ${r.text}`);
      assert.equal(r.json.error, 'Validation failed: Name is not a recognized emoji');
    }
    const bad = await raw(url, `/api/v1/announcements/${a.id}/reactions/%FF`, { method: 'PUT', token: amara.token });
    assert.equal(bad.status, 400, 'not UTF-8: a malformed path');
    assert.deepEqual((await rawList(amara))[0].reactions, []);
    // keycaps and text-style symbols with the emoji selector are emoji
    for (const name of ['1️⃣', '#️⃣', '❤️', '©️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']) {
      const r = await raw(url, `/api/v1/announcements/${a.id}/reactions/${encodeURIComponent(name)}`, { method: 'PUT', token: amara.token });
      assert.equal(r.status, 200, `${name}: ${r.text}`);
      assert.deepEqual(r.json, {});
    }
  });

  test('at most 8 different emoji per announcement (Mastodon\'s limit); one already used may still be added', async () => {
    await removeAll();
    const a = await announceOk({ text: 'eight' });
    const emoji = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆'];
    for (const e of emoji) await amara.client.v1.announcements.$select(a.id).reactions.$select(e).update();
    await expectHttpError(jonas.client.v1.announcements.$select(a.id).reactions.$select('😇').update(), 422, /Maximum number of different reactions/);
    await jonas.client.v1.announcements.$select(a.id).reactions.$select('😀').update();
    const [seen] = await rawList(jonas);
    assert.equal(seen.reactions.length, 8);
    assert.deepEqual(seen.reactions[0], { name: '😀', count: 2, me: true });
  });

  test('reacting needs write:favourites', async () => {
    const a = await announceOk({ text: 'scope' });
    const app = await createApp(url);
    const narrow = await passwordLogin(url, app, amara.email, amara.password, 'read write:accounts');
    await expectHttpError(restClient(url, narrow.accessToken).v1.announcements.$select(a.id).reactions.$select('👍').update(), 403, /scope/);
  });
});

describe('the administrators\' API', () => {
  test('only administrators post, list and delete; a token needs admin:write / admin:read', async () => {
    await removeAll();
    // a member may hold the admin scopes (as in Mastodon); the role is what is missing
    const scoped = await passwordLogin(url, admin.app, amara.email, amara.password, `${ALL_SCOPES} admin:read admin:write`);
    const byMember = await announce({ text: 'I am not an admin' }, scoped.accessToken);
    assert.equal(byMember.status, 403, byMember.text);
    assert.equal(byMember.json.error, 'This action is allowed only to administrators');
    const memberList = await raw(url, '/api/v1/partyline/admin/announcements', { token: scoped.accessToken });
    assert.equal(memberList.status, 403);
    const memberDelete = await raw(url, '/api/v1/partyline/admin/announcements/1', { method: 'DELETE', token: scoped.accessToken });
    assert.equal(memberDelete.status, 403);
    assert.equal((await announce({ text: 'nor with a plain token' }, amara.token)).status, 403);
    // an administrator's token without the admin scopes is refused too
    const plain = await passwordLogin(url, admin.app, admin.username, 'long enough pw', ALL_SCOPES);
    const noScope = await announce({ text: 'no scope' }, plain.accessToken);
    assert.equal(noScope.status, 403);
    assert.match(noScope.json.error, /outside the authorized scopes/);
    assert.deepEqual(await rawList(amara), [], 'nothing was posted');
  });

  test('the listing shows scheduled and ended ones too; delete takes one away with its reactions', async () => {
    await removeAll();
    const now = Date.now();
    const running = await announceOk({ text: 'running' });
    const scheduled = await announceOk({ text: 'scheduled', starts_at: iso(now + 86400_000), ends_at: iso(now + 2 * 86400_000) });
    await amara.client.v1.announcements.$select(running.id).reactions.$select('👍').update();
    const all = await raw(url, '/api/v1/partyline/admin/announcements', { token: admin.token });
    assert.equal(all.status, 200);
    assert.deepEqual(all.json.map((a) => a.id), [scheduled.id, running.id], 'newest first');
    const del = await raw(url, `/api/v1/partyline/admin/announcements/${running.id}`, { method: 'DELETE', token: admin.token });
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, {});
    assert.deepEqual(await rawList(amara), []);
    const again = await raw(url, `/api/v1/partyline/admin/announcements/${running.id}`, { method: 'DELETE', token: admin.token });
    assert.equal(again.status, 404);
    assert.equal(again.json.error, 'Record not found');
  });

  test('bad input is 422 saying what is wrong, and nothing is written', async () => {
    await removeAll();
    const now = Date.now();
    const cases = [
      [{}, /Text can't be blank/],
      [{ text: '   \n ' }, /Text can't be blank/],
      [{ text: 'x'.repeat(MAX_CHARS + 1) }, new RegExp(`too long \\(maximum is ${MAX_CHARS} characters\\)`)],
      [{ text: 'ok', starts_at: 'tomorrow' }, /Starts at must be a time/],
      [{ text: 'ok', ends_at: '2026-13-45' }, /Ends at must be a time/],
      [{ text: 'ok', ends_at: iso(now - 1000) }, /Ends at must be in the future/],
      [{ text: 'ok', starts_at: iso(now + 7200_000), ends_at: iso(now + 3600_000) }, /Ends at must be after Starts at/],
      [{ text: 'ok', all_day: true }, /All day needs both/],
      [{ text: 'ok', all_day: 'perhaps' }, /all_day must be true or false/],
    ];
    for (const [body, re] of cases) {
      const r = await announce(body);
      assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
      assert.match(r.json.error, re);
    }
    const all = await raw(url, '/api/v1/partyline/admin/announcements', { token: admin.token });
    assert.deepEqual(all.json, []);
    // exactly the limit fits, counted in characters like a post
    const fits = await announce({ text: 'é'.repeat(MAX_CHARS) });
    assert.equal(fits.status, 200, fits.text);
  });

  test(`at most max_announcements (${MAX_ANNOUNCEMENTS}) not yet ended at once`, async () => {
    await removeAll();
    const now = Date.now();
    await announceOk({ text: 'a scheduled one counts', starts_at: iso(now + 86400_000), ends_at: iso(now + 2 * 86400_000) });
    for (let i = 1; i < MAX_ANNOUNCEMENTS; i++) await announceOk({ text: `number ${i}` });
    const r = await announce({ text: 'one too many' });
    assert.equal(r.status, 422);
    assert.match(r.json.error, new RegExp(`more than ${MAX_ANNOUNCEMENTS} announcements`));
    await removeAll();
  });
});

/** The messages of an SSE stream read with fetch (live once this resolves: the server answered
 *  the headers after subscribing), as {event, data} with data as sent. */
async function sse(pathname, token) {
  const ac = new AbortController();
  const res = await fetch(`${url}${pathname}`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  const state = { messages: [], close: () => ac.abort() };
  (async () => {
    let text = '';
    const dec = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        text += dec.decode(chunk, { stream: true });
        let i;
        while ((i = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, i);
          text = text.slice(i + 2);
          const ev = block.match(/^event: (.*)$/m);
          const data = block.match(/^data: (.*)$/m);
          if (ev && data) state.messages.push({ event: ev[1], data: data[1] });
        }
      }
    } catch {
      // aborted
    }
  })();
  state.waitFor = async (pred, what) => {
    const end = Date.now() + 10_000;
    for (;;) {
      const hit = state.messages.find(pred);
      if (hit) return hit;
      if (Date.now() > end) assert.fail(`no ${what} on the SSE stream: ${JSON.stringify(state.messages)}`);
      await sleep(25);
    }
  };
  return state;
}

describe('live: the user stream (masto.js over WebSocket, and server-sent events)', () => {
  test('announcement, announcement.reaction and announcement.delete reach everyone signed in', async () => {
    await removeAll();
    const events = await sse('/api/v1/streaming/user', amara.token);
    const streaming = createStreamingAPIClient({ streamingApiUrl: url, accessToken: jonas.token, implementation: WebSocket, retry: false });
    try {
      const col = collectEvents(streaming.user.subscribe(), 10_000);
      // the subscription is live once one's own post comes back on it
      for (let i = 0; ; i++) {
        const p = await jonas.client.v1.statuses.create({ status: `warm-up ${i}` });
        try {
          await col.waitFor((e) => e.event === 'update' && e.payload?.id === p.id, 'the warm-up post', 1000);
          break;
        } catch (e) {
          if (i > 8) throw e;
        }
      }
      const now = Date.now();
      const later = await announceOk({ text: 'not yet', starts_at: iso(now + 86400_000), ends_at: iso(now + 2 * 86400_000) });
      const a = await announceOk({ text: `Live news for @${jonas.username}` });
      const got = await col.waitFor((e) => e.event === 'announcement' && e.payload?.id === a.id, 'the announcement');
      assert.deepEqual(got.stream, ['user']);
      assert.match(got.payload.content, /Live news for/);
      assert.equal(got.payload.read, undefined, 'rendered for nobody in particular, as Mastodon');
      assert.ok(!col.events.some((e) => e.event === 'announcement' && e.payload?.id === later.id), 'a scheduled one is not sent at posting');

      await amara.client.v1.announcements.$select(a.id).reactions.$select('🎉').update();
      let r = await col.waitFor((e) => e.event === 'announcement.reaction' && e.payload?.count === 1, 'the reaction');
      assert.equal(r.payload.name, '🎉');
      assert.equal(r.payload.announcementId, a.id);
      await amara.client.v1.announcements.$select(a.id).reactions.$select('🎉').remove();
      r = await col.waitFor((e) => e.event === 'announcement.reaction' && e.payload?.count === 0, 'the count back to 0');
      assert.equal(r.payload.name, '🎉');
      // both streams hear it before the announcement goes: a reaction to a deleted
      // announcement is rendered from the present, where it is no more (and matters to nobody)
      await events.waitFor((m) => m.event === 'announcement.reaction' && JSON.parse(m.data).count === 0, 'the count back to 0');

      const del = await raw(url, `/api/v1/partyline/admin/announcements/${a.id}`, { method: 'DELETE', token: admin.token });
      assert.equal(del.status, 200);
      await col.waitFor((e) => e.event === 'announcement.delete', 'the delete');
      // the bytes, as Mastodon sends them: the reaction as JSON, the deleted id as a bare string
      // (masto.js parses that one as a number, which cannot hold a 64-bit id)
      const sent = await events.waitFor((m) => m.event === 'announcement.delete', 'the delete');
      assert.equal(sent.data, a.id);
      const reactions = events.messages.filter((m) => m.event === 'announcement.reaction').map((m) => JSON.parse(m.data));
      assert.deepEqual(reactions, [{ name: '🎉', count: 1, announcement_id: a.id }, { name: '🎉', count: 0, announcement_id: a.id }]);
      const announced = events.messages.find((m) => m.event === 'announcement');
      assert.equal(JSON.parse(announced.data).id, a.id);
    } finally {
      streaming.close();
      events.close();
    }
  });
});
