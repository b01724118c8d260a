// listening.test.mjs — issue 16, Listening (C12): watches through the server (src/app/listening.c,
// docs/api.md "Listening"). A person's watch queries, checked with the error's position; every
// new post matched against all of them at once by a background thread, woken by the post; a
// match kept only when the watch's owner may see the post, and asked again when read; feed
// items served by a local HTTP server matched as a second source; the editor's live preview.
// Runs on both databases.

import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import {
  ALL_SCOPES, adminCli, createApp, dropDatabase, makeDatabase, mapLimit, passwordLogin, raw, registerUsers,
  restClient, serverDatabaseSql, startServer, twoEachBefore, uniqueName
} from './harness.mjs';

const W = '/api/v1/partyline/watches';

let srv, url;
let owner, author, other, admin;

async function call(who, method, p, { json, status = 200 } = {}) {
  const r = await raw(url, p, { method, token: who?.token ?? who, json });
  assert.equal(r.status, status, `${method} ${p}: ${r.text}`);
  return r.json;
}

const post = (who, json) => call(who, 'POST', '/api/v1/statuses', { json });

/** The watch's matches once pred holds of them (the matcher works in the background; it is
 *  woken by each post, so this is quick), failing after a deadline. */
async function matchesWhen(who, id, pred, what, path = 'matches') {
  const end = Date.now() + 10_000;
  for (;;) {
    const got = await call(who, 'GET', `${W}/${id}/${path}`);
    if (pred(got)) return got;
    assert.ok(Date.now() < end, `${what}: ${JSON.stringify(got.map((s) => s.id))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  srv = await startServer({ env: { PARTYLINE_FEEDS_POLL_SECONDS: '0' } });
  url = srv.url;
  [owner, author, other] = await registerUsers(url, ['wo', 'wa', 'wx']);
  for (const u of [owner, author, other]) u.id = u.account.id;
  const username = uniqueName('ladm');
  const made = await adminCli(srv, ['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const scopes = `${ALL_SCOPES} admin:read admin:write`;
  const app = await createApp(url, { scopes });
  admin = { token: (await passwordLogin(url, app, username, 'long enough pw', scopes)).accessToken };
});

after(async () => {
  await srv?.stop();
});

describe('watches', () => {
  test('a watch is made, read, changed and removed by its owner only; another person finds nothing', async () => {
    const w = await call(owner, 'POST', W, { json: { title: 'Launch', query: 'launch OR "price increase"' } });
    assert.equal(w.title, 'Launch');
    assert.equal(w.query, 'launch OR "price increase"');
    assert.equal(w.channel_id, null);
    assert.equal(w.matches_count, 0);
    assert.equal(w.feed_matches_count, 0);
    assert.ok(Date.parse(w.created_at));

    assert.deepEqual((await call(owner, 'GET', W)).map((x) => x.id), [w.id]);
    assert.equal((await call(owner, 'GET', `${W}/${w.id}`)).id, w.id);

    // another person: not found, as a post one may not see; their list is theirs
    for (const [m, p, json] of [['GET', `${W}/${w.id}`], ['PATCH', `${W}/${w.id}`, { title: 'x' }],
      ['DELETE', `${W}/${w.id}`], ['GET', `${W}/${w.id}/matches`], ['GET', `${W}/${w.id}/feed_matches`]]) {
      const r = await call(other, m, p, { json, status: 404 });
      assert.ok(r.error);
    }
    assert.deepEqual(await call(other, 'GET', W), []);

    const changed = await call(owner, 'PATCH', `${W}/${w.id}`, { json: { title: 'Launch week', query: 'launch' } });
    assert.equal(changed.title, 'Launch week');
    assert.equal(changed.query, 'launch');
    assert.deepEqual(await call(owner, 'DELETE', `${W}/${w.id}`), {});
    await call(owner, 'GET', `${W}/${w.id}`, { status: 404 });
    assert.deepEqual(await call(owner, 'GET', W), []);

    // audited: who made, changed and removed it (not the words)
    const rows = (await call(admin, 'GET', '/api/v1/partyline/admin/audit?limit=200'))
      .filter((r) => r.target_kind === 'watch' && r.target_id === w.id);
    assert.deepEqual(rows.map((r) => r.action).sort(), ['watch.change', 'watch.create', 'watch.remove']);
    assert.ok(rows.every((r) => r.actor_id === owner.id));
    assert.ok(!JSON.stringify(rows).includes('price increase'));
  });

  test('a bad query is 422 with the position and the reason, and nothing is kept', async () => {
    for (const [query, position] of [['launch AND', 8], ['(launch', 1], ['a ) b', 3], ['NOT spam', 1]]) {
      const r = await call(owner, 'POST', W, { json: { title: 'bad', query }, status: 422 });
      assert.match(r.error, /query/);
      assert.equal(r.position, position, `${query}: ${JSON.stringify(r)}`);
      assert.ok(r.reason.length > 5, r.reason);
    }
    const good = await call(owner, 'POST', W, { json: { title: 'ok', query: 'ok' } });
    const r = await call(owner, 'PATCH', `${W}/${good.id}`, { json: { query: '"unclosed' }, status: 422 });
    assert.equal(r.position, 1);
    assert.equal((await call(owner, 'GET', `${W}/${good.id}`)).query, 'ok', 'unchanged');
    await call(owner, 'DELETE', `${W}/${good.id}`);
    assert.deepEqual(await call(owner, 'GET', W), []);
  });

  test('titles and fields are checked; a channel must be one the owner may post in', async () => {
    let r = await call(owner, 'POST', W, { json: { title: '', query: 'a' }, status: 422 });
    assert.match(r.error, /title/);
    r = await call(owner, 'POST', W, { json: { title: 'x'.repeat(101), query: 'a' }, status: 422 });
    assert.match(r.error, /100/);
    r = await call(owner, 'POST', W, { json: { title: 'x', query: null }, status: 422 });
    assert.match(r.error, /query/);
    r = await call(owner, 'POST', W, { json: { title: 'x', query: 'a', channel_id: '123' }, status: 422 });
    assert.match(r.error, /channel_id/);
    r = await call(owner, 'POST', W, { json: { title: 'x', query: 'a', channel_id: 'abc' }, status: 422 });
    assert.match(r.error, /channel_id/);
    assert.deepEqual(await call(owner, 'GET', W), []);
  });

  test('a person has at most 50 watches', async () => {
    const [many] = await registerUsers(url, ['wm']);
    for (let i = 0; i < 50; i++) await call(many, 'POST', W, { json: { title: `w${i}`, query: `word${i}` } });
    const r = await call(many, 'POST', W, { json: { title: 'one more', query: 'more' }, status: 422 });
    assert.match(r.error, /50 watches/);
    assert.equal((await call(many, 'GET', W)).length, 50);
    for (const x of await call(many, 'GET', W)) await call(many, 'DELETE', `${W}/${x.id}`);
  });

  test('a token without the scope is refused (403), a made-up one too (401)', async () => {
    const app = await createApp(url, { scopes: 'read' });
    const tok = await passwordLogin(url, app, owner.username, owner.password, 'read');
    const reader = { token: tok.accessToken };
    assert.deepEqual(await call(reader, 'GET', W), []);
    await call(reader, 'POST', W, { json: { title: 't', query: 'q' }, status: 403 });
    await call({ token: 'made-up-token' }, 'GET', W, { status: 401 });
    await call(null, 'GET', W, { status: 401 });
  });
});

describe('matching', () => {
  test('a new post is matched at once; one the owner may not see never matches nor counts', async () => {
    const w = await call(owner, 'POST', W, { json: { title: 'Recipe', query: 'recipe NEAR/3 change' } });
    // a direct post to someone else, and a followers-only post the owner does not follow
    const dm = await post(author, { status: `@${other.username} the recipe change is secret`, visibility: 'direct' });
    const fo = await post(author, { status: 'recipe change for followers', visibility: 'private' });
    // and a post in a private channel the owner is not in
    const priv = await call(other, 'POST', '/api/v1/partyline/channels', { json: { name: uniqueName('lpc'), private: true } });
    const inPriv = await post(other, { status: 'recipe change, inside the channel', channel_id: priv.id });
    const pub = await post(author, { status: 'The RECIPE will change on Saturday', visibility: 'public' });
    const miss = await post(author, { status: 'recipe unchanged, no news at all here', visibility: 'public' });
    const got = await matchesWhen(owner, w.id, (l) => l.length > 0, 'the public post matched');
    assert.deepEqual(got.map((s) => s.id), [pub.id]);
    // the later post was looked at too (the matcher goes in order): it does not match
    await post(author, { status: 'recipe change, again', visibility: 'public' });
    const two = await matchesWhen(owner, w.id, (l) => l.length === 2, 'the second post matched');
    assert.ok(!two.some((s) => [dm.id, fo.id, inPriv.id, miss.id].includes(s.id)));
    assert.equal((await call(owner, 'GET', `${W}/${w.id}`)).matches_count, 2, 'what may not be seen is not counted');

    // the author may see their own followers-only post: their watch finds it and the DM
    const mine = await call(author, 'POST', W, { json: { title: 'mine', query: 'secret' } });
    await post(author, { status: 'another secret', visibility: 'private' });
    const theirs = await matchesWhen(author, mine.id, (l) => l.length === 1, 'the author sees their own');
    assert.equal(theirs[0].account.id, author.id);
    // and the channel's owner sees its post
    const chw = await call(other, 'POST', W, { json: { title: 'inside', query: 'inside' } });
    await post(other, { status: 'inside again', channel_id: priv.id });
    await matchesWhen(other, chw.id, (l) => l.length === 1, 'a member sees the private channel post');
  });

  test('a deleted post disappears from the matches', async () => {
    const w = await call(owner, 'POST', W, { json: { title: 'Outage', query: 'outage' } });
    const a = await post(author, { status: 'outage in the east', visibility: 'public' });
    const b = await post(author, { status: 'outage over', visibility: 'public' });
    await matchesWhen(owner, w.id, (l) => l.length === 2, 'both matched');
    await call(author, 'DELETE', `/api/v1/statuses/${a.id}`);
    const left = await call(owner, 'GET', `${W}/${w.id}/matches`);
    assert.deepEqual(left.map((s) => s.id), [b.id]);
  });

  test('matches page newest first with Link headers', async () => {
    const w = await call(owner, 'POST', W, { json: { title: 'Paging', query: '#pagingtag' } });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await post(author, { status: `number ${i} #pagingtag`, visibility: 'public' })).id);
    await matchesWhen(owner, w.id, (l) => l.length === 5, 'five matched');
    const r = await raw(url, `${W}/${w.id}/matches?limit=2`, { token: owner.token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.map((s) => s.id), [ids[4], ids[3]]);
    const next = r.headers.get('link').match(/<([^>]+)>; rel="next"/)[1];
    const r2 = await raw(url, new URL(next).pathname + new URL(next).search, { token: owner.token });
    assert.deepEqual(r2.json.map((s) => s.id), [ids[2], ids[1]]);
  });

  test('the dashboard: volume, tone split, top posts and authors, against the period before', async () => {
    const w = await call(owner, 'POST', W, { json: { title: 'Support', query: 'helpdesk' } });
    const good = await post(author, { status: 'The helpdesk was excellent, thanks a lot!', visibility: 'public' });
    await post(author, { status: 'helpdesk outage again, terrible and slow', visibility: 'public' });
    await post(other, { status: 'the helpdesk opens at nine', visibility: 'public' });
    await post(author, { status: 'helpdesk for my followers', visibility: 'private' }); // not the owner's to see
    await call(other, 'POST', `/api/v1/statuses/${good.id}/favourite`);
    await matchesWhen(owner, w.id, (l) => l.length === 3, 'three matched');

    // steps of UTC hours or days: the first from the period's start, the last to now
    for (const [period, steps, step, ms] of [['1d', 25, 'hour', 3600000], ['7d', 8, 'day', 86400000], ['30d', 31, 'day', 86400000]]) {
      const d = await call(owner, 'GET', `${W}/${w.id}/dashboard?period=${period}`);
      assert.equal(d.period, period);
      assert.equal(d.step, step);
      assert.equal(Date.parse(d.to) - Date.parse(d.from), (steps - 1) * ms);
      assert.equal(d.volume.length, steps);
      assert.equal(d.volume[0].at, d.from);
      for (const v of d.volume.slice(1)) assert.equal(Date.parse(v.at) % ms, 0, `${v.at} starts a UTC ${step}`);
      assert.equal(d.volume.reduce((a, v) => a + v.matches, 0), 3, 'the volume counts the matches');
      assert.equal(d.volume.at(-1).matches, 3, 'all in the last step');
      assert.equal(d.current.matches, 3);
      assert.deepEqual(d.current.tone, { negative: 1, neutral: 1, positive: 1 });
      assert.equal(d.previous.matches, 0);
      assert.equal(d.change, null, 'nothing to compare with');
      assert.equal(d.top_statuses[0].id, good.id, 'the most engaged first');
      assert.equal(d.top_statuses.length, 3);
      assert.deepEqual(d.top_authors.map((a) => [a.account.id, a.matches]), [[author.id, 2], [other.id, 1]]);
    }
    let r = await call(owner, 'GET', `${W}/${w.id}/dashboard?period=2d`, { status: 422 });
    assert.match(r.error, /1d, 7d, 30d/);
    r = await call(other, 'GET', `${W}/${w.id}/dashboard`, { status: 404 });
  });

  test('the preview parses as it is typed and shows the latest posts the caller may see that match', async () => {
    const tag = uniqueName('pv');
    await post(author, { status: `${tag} in public`, visibility: 'public' });
    await post(author, { status: `${tag} for followers`, visibility: 'private' });
    let r = await call(owner, 'POST', `${W}/preview`, { json: { query: tag } });
    assert.equal(r.ok, true);
    assert.deepEqual(r.statuses.map((s) => s.content.includes('in public')), [true]);
    assert.ok(r.looked_at >= 2);
    r = await call(owner, 'POST', `${W}/preview`, { json: { query: `${tag} OR` } });
    assert.equal(r.ok, false);
    assert.equal(r.error.position, tag.length + 2); // the OR with nothing after it
    assert.ok(r.error.reason);
    assert.deepEqual(r.statuses, []);
  });
});

describe('feed items', () => {
  let feedServer;
  after(async () => {
    await new Promise((resolve) => (feedServer ? feedServer.close(resolve) : resolve()));
  });

  test('an item of a company feed matches as a second source', async () => {
    const rss = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Vendor status</title>
<item><title>Payment outage resolved</title><link>https://status.example/1</link><guid>s-1</guid>
  <pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate><description>Card payments work again.</description></item>
<item><title>Maintenance window</title><link>https://status.example/2</link><guid>s-2</guid></item>
</channel></rss>`;
    feedServer = http.createServer((req, res) => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss));
    await new Promise((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    const feedUrl = `http://127.0.0.1:${feedServer.address().port}/status.xml`;

    const w = await call(owner, 'POST', W, { json: { title: 'Payments', query: 'payment OR payments' } });
    await call(admin, 'POST', '/api/v1/partyline/admin/feeds', { json: { url: feedUrl } });
    // the feed server is on 127.0.0.1, which a feed is fetched from only when allowed
    const out = await adminCli({ ...srv, cliEnv: { ...srv.cliEnv, PARTYLINE_FEEDS_ALLOW_LOOPBACK: '1' } },
      ['feeds', 'refresh']);
    assert.equal(out.code, 0, out.stderr);

    const got = await matchesWhen(owner, w.id, (l) => l.length > 0, 'the feed item matched', 'feed_matches');
    assert.equal(got.length, 1);
    assert.equal(got[0].title, 'Payment outage resolved');
    assert.equal(got[0].link, 'https://status.example/1');
    assert.equal(got[0].source, 'Vendor status');
    assert.equal(got[0].published_at, '2026-12-07T09:00:00.000Z');
    assert.equal((await call(owner, 'GET', `${W}/${w.id}`)).feed_matches_count, 1);
    // nobody's post matches it: the statuses are untouched
    assert.deepEqual(await call(owner, 'GET', `${W}/${w.id}/matches`), []);
  });
});

describe('alerts', () => {
  test('an outcry driven through time reaches the owner (a notification) and the channel (a post), and opens a ticket', async () => {
    const ch = await call(owner, 'POST', '/api/v1/partyline/channels', { json: { name: uniqueName('lch'), display_name: 'Listening' } });
    // a channel the owner may not post in is refused when the watch is made
    const closed = await call(other, 'POST', '/api/v1/partyline/channels', { json: { name: uniqueName('lcx'), private: true } });
    let r = await call(owner, 'POST', W, { json: { title: 'x', query: 'x', channel_id: closed.id }, status: 422 });
    assert.match(r.error, /channel_id/);

    const w = await call(owner, 'POST', W, { json: { title: 'Recipe outcry', query: 'bourbon recipe', channel_id: ch.id } });
    assert.equal(w.channel_id, ch.id);
    const posts = [];
    for (let i = 0; i < 5; i++) posts.push(await post(author, { status: `Why did the bourbon recipe change? ${i}`, visibility: 'public' }));
    const hidden = await post(author, { status: 'bourbon recipe, followers only', visibility: 'private' });
    await matchesWhen(owner, w.id, (l) => l.length === 5, 'the five posts matched');

    // the two buckets before these posts' had two each (as if posts had come then): 9 in 15 minutes
    const bucket = Math.floor(Date.parse(posts[0].created_at) / 300000);
    await serverDatabaseSql(srv, twoEachBefore(w.id, bucket));
    // two quiet weeks learned, then the buckets up to the one after these posts closed
    let out = await adminCli(srv, ['listen', 'backfill', '--watch', w.id, '--days', '14']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /0 matches kept/, 'the five are kept once');
    out = await adminCli(srv, ['listen', 'close', '--now', new Date((bucket + 2) * 300000 + 1000).toISOString()]);
    assert.equal(out.code, 0, out.stderr);

    const alerts = await call(owner, 'GET', `${W}/alerts`);
    assert.equal(alerts.length, 1, JSON.stringify(alerts));
    const al = alerts[0];
    assert.equal(al.watch_id, w.id);
    assert.equal(al.watch_title, 'Recipe outcry');
    assert.equal(al.count, 9);
    assert.equal(al.expected, 0);
    assert.ok(al.ratio >= 9, `ratio ${al.ratio}`);
    assert.equal(al.baseline.median_per_hour, 0);
    assert.ok(al.baseline.samples >= 5);
    assert.equal(Date.parse(al.window_end), (bucket + 1) * 300000);
    assert.ok(al.status_id, 'posted in the channel');
    assert.equal(al.ticket_id, null);
    assert.deepEqual(await call(other, 'GET', `${W}/alerts`), []);
    await call(other, 'GET', `${W}/alerts/${al.id}`, { status: 404 });
    assert.deepEqual((await call(owner, 'GET', `${W}/alerts?watch_id=${w.id}`)).map((a) => a.id), [al.id]);

    // its posts: the window's matches the owner may see, newest first
    const one = await call(owner, 'GET', `${W}/alerts/${al.id}`);
    assert.deepEqual(one.statuses.map((s) => s.id), posts.map((p) => p.id).reverse());
    assert.ok(!one.statuses.some((s) => s.id === hidden.id));

    // the notification, through masto.js: a type Mastodon apps skip, with the alert beside it
    const notes = await restClient(url, owner.token).v1.notifications.list();
    const note = notes.find((n) => n.type === 'partyline.alert');
    assert.ok(note, JSON.stringify(notes.map((n) => n.type)));
    assert.equal(note.partyline.alertId, al.id); // masto.js camel-cases keys
    assert.equal(note.partyline.alert.count, 9);
    assert.equal(note.account.id, owner.id);
    // Mastodon 4.3's grouped notifications: a group of its own, with its account
    const grouped = await call(owner, 'GET', '/api/v2/notifications');
    const group = grouped.notification_groups.find((g) => g.type === 'partyline.alert');
    assert.ok(group, JSON.stringify(grouped.notification_groups.map((g) => g.type)));
    assert.deepEqual(group.sample_account_ids, [owner.id]);
    assert.ok(grouped.accounts.some((a) => a.id === owner.id));
    // a client that asks for the types it knows does not get it
    const known = await restClient(url, owner.token).v1.notifications.list({ types: ['mention', 'favourite'] });
    assert.ok(!known.some((n) => n.type === 'partyline.alert'));

    // the post in the channel, by the owner, with the numbers and a link
    const chPost = await call(owner, 'GET', `/api/v1/statuses/${al.status_id}`);
    assert.equal(chPost.account.id, owner.id);
    assert.match(chPost.content, /Recipe outcry/);
    assert.match(chPost.content, /9 posts in 15 minutes/);
    assert.match(chPost.content, new RegExp(`/listening/alerts/${al.id}`));
    const timeline = await call(owner, 'GET', `/api/v1/partyline/channels/${ch.id}/timeline`);
    assert.ok(timeline.some((s) => s.id === al.status_id));

    // a ticket from the alert: a post by the owner with its summary; once
    await call(other, 'POST', '/api/v1/partyline/tickets', { json: { alert_id: al.id }, status: 404 });
    const ticket = await call(owner, 'POST', '/api/v1/partyline/tickets', { json: { alert_id: al.id } });
    assert.equal(ticket.state, 'new');
    const root = await call(owner, 'GET', `/api/v1/statuses/${ticket.status_id}`);
    assert.match(root.content, /9 posts in 15 minutes/);
    assert.equal((await call(owner, 'GET', `${W}/alerts/${al.id}`)).ticket_id, ticket.id);
    r = await call(owner, 'POST', '/api/v1/partyline/tickets', { json: { alert_id: al.id }, status: 422 });
    assert.match(r.error, /has a ticket already/);
  });
});

describe('the matcher across a restart', () => {
  test('posts written while no node matched are matched from the cursor when one starts', async () => {
    // a server that does not match (listen_poll_ms 0): the posts wait past the cursor
    const first = await startServer({ env: { PARTYLINE_FEEDS_POLL_SECONDS: '0', PARTYLINE_LISTEN_POLL_MS: '0' } });
    let second;
    try {
      url = first.url;
      const [o, a] = await registerUsers(url, ['ro', 'ra']);
      const w = await call(o, 'POST', W, { json: { title: 'Restart', query: 'restart' } });
      const p1 = await post(a, { status: 'restart one', visibility: 'public' });
      const p2 = await post(a, { status: 'restart two', visibility: 'public' });
      assert.deepEqual(await call(o, 'GET', `${W}/${w.id}/matches`), []);
      assert.equal(await serverDatabaseSql(first, 'SELECT status_cursor FROM listen_state'), '0');
      await first.crash(); // its data stays
      second = await startServer({ dataDir: first.dataDir, database: first.database,
        env: { PARTYLINE_FEEDS_POLL_SECONDS: '0' } });
      url = second.url;
      const got = await matchesWhen(o, w.id, (l) => l.length === 2, 'matched after the restart');
      assert.deepEqual(got.map((x) => x.id), [p2.id, p1.id]);
    } finally {
      url = srv.url;
      await second?.stop();
      await rm(first.dataDir, { recursive: true, force: true });
      if (first.database) await dropDatabase(first.database);
    }
  });
});

describe('two nodes', () => {
  // On PostgreSQL, two nodes share one database: one holds the matcher's lease, and a post
  // written on the other is matched at once (the other node's NOTIFY wakes it), once.
  test('posts written on either node are matched by the one that holds the lease, each once', async () => {
    const db = await makeDatabase();
    if (!db) return; // SQLite: one node only
    const nodes = [await startServer({ database: db, env: { PARTYLINE_NODE_ID: '1', PARTYLINE_FEEDS_POLL_SECONDS: '0' } }),
      await startServer({ database: db, env: { PARTYLINE_NODE_ID: '2', PARTYLINE_FEEDS_POLL_SECONDS: '0' } })];
    try {
      url = nodes[0].url;
      const [o, a] = await registerUsers(url, ['no', 'na']);
      const w = await call(o, 'POST', W, { json: { title: 'Nodes', query: 'nodes' } });
      const made = [];
      for (let i = 0; i < 6; i++) {
        const r = await raw(nodes[i % 2].url, '/api/v1/statuses', { method: 'POST', token: a.token,
          json: { status: `nodes ${i}`, visibility: 'public' } });
        assert.equal(r.status, 200, r.text);
        made.push(r.json.id);
      }
      const got = await matchesWhen(o, w.id, (l) => l.length === 6, 'all six matched');
      assert.deepEqual(got.map((x) => x.id), made.reverse());
      const holder = await serverDatabaseSql(nodes[0], 'SELECT holder FROM listen_state');
      assert.match(holder, /^node [12] pid \d+$/, 'one node holds the lease');
      assert.equal((await call(o, 'GET', `${W}/${w.id}`)).matches_count, 6);
    } finally {
      url = srv.url;
      for (const n of nodes) await n.stop();
      await dropDatabase(db);
    }
  });
});

describe('the company limit', () => {
  test('the company has at most 1,000 watches', async () => {
    const own = await startServer({ env: { PARTYLINE_FEEDS_POLL_SECONDS: '0' } });
    try {
      url = own.url;
      const people = await registerUsers(url, Array.from({ length: 21 }, () => 'cl'));
      await mapLimit(Array.from({ length: 1000 }, (_, i) => i), 8, (i) =>
        call(people[Math.floor(i / 50)], 'POST', W, { json: { title: `w${i}`, query: `word${i}` } }));
      // the 21st person has none, and may have none more
      const r = await call(people[20], 'POST', W, { json: { title: 'one more', query: 'more' }, status: 422 });
      assert.match(r.error, /The company has 1000 watches/);
      assert.deepEqual(await call(people[20], 'GET', W), []);
      // one removed, one may be made
      const [first] = await call(people[0], 'GET', W);
      await call(people[0], 'DELETE', `${W}/${first.id}`);
      await call(people[20], 'POST', W, { json: { title: 'now', query: 'now' } });
    } finally {
      url = srv.url;
      await own.stop();
    }
  });
});
