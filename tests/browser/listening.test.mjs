// listening.test.mjs — listening in the web client (issue 16, C12: views/listening.js,
// views/watch.js, views/alerts.js, views/alert.js, listening.js) in chromium against a real
// server: a watch made through the editor at a desk (a bad query shows its fault at its
// character, a stale preview's late answer is dropped, fixing it shows the preview's posts, the
// server's 422 at its field, the alerts' channel chosen), its dashboard with a post made through
// the API (the chart says the count), the period kept in the address, edited, deleted; on a
// phone, an alert driven as tests/api/listening.test.mjs drives one (its buckets, then the
// CLI's backfill and close) reached from its notification (also under Show: Listening alerts),
// said in words, with its posts, its watch's dashboard, turned into a ticket, and its link from
// a channel's post (someone not on the service team reads theirs without the button, and
// not another's); a company feed's item on the dashboard, served by a local feed server. One
// browser, two pages kept open; screenshots and axe-core at both sizes.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import {
  adminCli, ALL_SCOPES, createApp, passwordLogin, raw, registerUser, serverDatabaseSql, startServer, twoEachBefore,
  uniqueName,
} from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };
const W = '/api/v1/partyline/watches';
let srv;
let browser;
let owner; // on the service team
let author;
let desk;
let phone; // the owner too, on a phone

async function call(token, method, path, json) {
  const r = await raw(srv.url, path, { method, token, json });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}
const post = (who, status) => call(who.token, 'POST', '/api/v1/statuses', { status, visibility: 'public' });

/** The watch's matches once there are n, with the post `has` among them (the matcher works
 *  in the background). */
async function matched(id, n, has = null, who = owner) {
  const end = Date.now() + 10_000;
  for (;;) {
    const got = await call(who.token, 'GET', `${W}/${id}/matches`);
    if (got.length >= n && (!has || got.some((s) => s.id === has))) return got;
    assert.ok(Date.now() < end, `${n} matches: ${got.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  [owner, author] = await Promise.all(['lo', 'la'].map((p) => registerUser(srv.url, uniqueName(p))));
  const out = await adminCli(srv, ['set-service', '--username', owner.username]);
  assert.equal(out.code, 0, out.stderr);
  [desk, phone] = await Promise.all([newPage(browser, DESK), newPage(browser, PHONE)]);
  await Promise.all([signIn(desk, srv.url, owner), signIn(phone, srv.url, owner)]);
});
let feedServer;
after(async () => {
  await browser?.close();
  await srv?.stop();
  await new Promise((resolve) => (feedServer ? feedServer.close(resolve) : resolve()));
});

test('a watch made through the editor: its fault at its character, its preview, its dashboard', async () => {
  const earlier = await post(author, 'Why did the bourbon recipe change overnight?');
  const ch = await call(owner.token, 'POST', '/api/v1/partyline/channels', { name: uniqueName('lw'), display_name: 'Brand desk' });
  await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Listening' }).click();
  await desk.getByRole('heading', { level: 1, name: 'Listening' }).waitFor(WAIT);
  await desk.getByText('No watches yet.').waitFor(WAIT);
  await desk.getByRole('link', { name: 'New watch' }).click();
  const form = desk.getByRole('form', { name: 'New watch' });
  await form.getByLabel('Title').fill('Recipe');

  // the preview of a query typed first is held back until the one typed after has answered:
  // the late, stale answer is dropped (a fault stays, no posts)
  const query = form.getByLabel('Query');
  let heldRoute;
  const held = new Promise((resolve) => { heldRoute = resolve; });
  let first = true;
  await desk.route('**/api/v1/partyline/watches/preview', async (route) => {
    if (first) {
      first = false;
      heldRoute(route);
    } else {
      await route.continue();
    }
  });
  await query.fill('overnight');
  const stale = await held;
  // a query that does not parse: the fault at its character, the field invalid and described
  await query.fill('bourbon AND (recipe');
  const fault = desk.locator('#wt-query-fault-text');
  await fault.waitFor(WAIT);
  const late = desk.waitForEvent('requestfinished', (r) => r === stale.request());
  await stale.continue();
  await late;
  await desk.evaluate(() => new Promise((r) => { setTimeout(r, 0); })); // its answer read and dropped
  assert.equal(await fault.count(), 1, 'the fault stays');
  assert.equal(await desk.getByRole('list', { name: 'Preview' }).locator('article').count(), 0, 'the stale posts are not shown');
  await desk.unroute('**/api/v1/partyline/watches/preview');
  const said = await call(owner.token, 'POST', `${W}/preview`, { query: 'bourbon AND (recipe' });
  assert.equal(said.ok, false);
  await fault.getByText(`At character ${said.error.position}: ${said.error.reason}`).waitFor(WAIT);
  const at = Array.from('bourbon AND (recipe')[said.error.position - 1]; // one past the end: "ends too soon"
  assert.equal(await fault.locator('mark').textContent(), at === undefined || at === ' ' ? '\u2423' : at);
  assert.equal(await query.getAttribute('aria-invalid'), 'true');
  assert.match(await query.getAttribute('aria-describedby'), /wt-query-fault/);
  await assertAccessible(desk, 'the editor with a fault');
  await screenshot(desk, 'watch-editor-fault-1440');

  // fixed: the fault goes, the preview shows the post
  await query.fill('bourbon AND (recipe OR formula)');
  const preview = desk.getByRole('list', { name: 'Preview' });
  await preview.getByText('Why did the bourbon recipe change overnight?').waitFor(WAIT);
  assert.equal(await fault.count(), 0);
  assert.equal(await query.getAttribute('aria-invalid'), null);

  // the server's 422 (here an empty title) is shown at its field; then saved: the dashboard
  await form.getByLabel('Title').fill('');
  await form.getByRole('button', { name: 'Save watch' }).click();
  await form.locator('#wt-title-error').waitFor(WAIT);
  assert.equal(await form.getByLabel('Title').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Title').fill('Recipe');
  // saved at once with a bad query: the server's 422 is shown as the preview shows a fault
  const bad = await call(owner.token, 'POST', `${W}/preview`, { query: 'bourbon OR' });
  await query.fill('bourbon OR');
  await form.getByRole('button', { name: 'Save watch' }).click();
  await fault.getByText(`At character ${bad.error.position}: ${bad.error.reason}`).waitFor(WAIT);
  assert.equal(await desk.evaluate(() => document.activeElement?.id), 'wt-query', 'the query has the focus');
  assert.match(desk.url(), /#\/watch\/new$/, 'nothing saved');
  await query.fill('bourbon AND (recipe OR formula)');
  await preview.getByText('Why did the bourbon recipe change overnight?').waitFor(WAIT);
  await form.getByLabel('Post its alerts in').selectOption({ label: 'Brand desk' });
  await form.getByRole('button', { name: 'Save watch' }).click();
  await desk.getByRole('heading', { level: 1, name: 'Recipe' }).waitFor(WAIT);
  const id = desk.url().match(/#\/watch\/(\d+)/)[1];
  const saved = await call(owner.token, 'GET', `${W}/${id}`);
  assert.deepEqual([saved.title, saved.query, saved.channel_id], ['Recipe', 'bourbon AND (recipe OR formula)', ch.id]);

  // a post made through the API after: matched, on the dashboard read again
  const later = await post(author, 'The new bourbon formula tastes thin');
  // (the one written before the watch is matched only if the matcher had not passed it yet)
  const got = await matched(id, 1, later.id);
  assert.ok(got.every((s) => s.id === later.id || s.id === earlier.id));
  await desk.reload();
  const chart = desk.getByRole('img', { name: /^Matches per day/ });
  await chart.waitFor(WAIT);
  const n = got.length;
  assert.match(await chart.getAttribute('aria-label'), new RegExp(`${n} match(es)? in all.*: ${n}\\.$`));
  await desk.getByRole('list', { name: 'Latest matches' }).getByText('The new bourbon formula tastes thin').waitFor(WAIT);
  await desk.getByRole('list', { name: 'Top posts' }).getByText('The new bourbon formula tastes thin').waitFor(WAIT);
  await desk.getByRole('list', { name: 'Top authors' }).getByRole('link', { name: new RegExp(`@${author.username}`) }).waitFor(WAIT);
  await desk.getByText(`${n === 1 ? '1 match' : `${n} matches`}; none in the 7 days before.`).waitFor(WAIT);
  await desk.getByRole('img', { name: /^Tone: \d+ negative, \d+ neutral, \d+ positive$/ }).waitFor(WAIT);
  await screenshot(desk, 'watch-dashboard-1440');
  await assertAccessible(desk, 'the dashboard');

  // the period: in the address, and kept by a reload
  await desk.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Last day' }).click();
  await desk.getByRole('heading', { name: 'Volume by hour' }).waitFor(WAIT);
  assert.match(desk.url(), new RegExp(`#/watch/${id}/1d$`));
  await desk.reload();
  await desk.getByRole('img', { name: /^Matches per hour/ }).waitFor(WAIT);
  assert.equal(await desk.getByRole('button', { name: 'Last day' }).getAttribute('aria-pressed'), 'true');

  // the list has it, with its counts; Edit keeps what it had; Delete asks first
  await desk.goto(`${srv.url}/#/listening`);
  const row = desk.getByRole('list', { name: 'Your watches' }).getByRole('listitem').filter({ hasText: 'Recipe' });
  await row.getByText(`${n === 1 ? '1 post' : `${n} posts`} · 0 feed items · 0 alerts`).waitFor(WAIT);
  await row.getByRole('link', { name: 'Recipe' }).click();
  await desk.getByRole('link', { name: 'Edit' }).click();
  await desk.getByRole('heading', { level: 1, name: 'Edit “Recipe”' }).waitFor(WAIT); // read
  assert.equal(await desk.getByLabel('Query').inputValue(), 'bourbon AND (recipe OR formula)');
  assert.equal(await desk.getByLabel('Post its alerts in').inputValue(), ch.id);
  await desk.getByLabel('Title').fill('Recipe talk');
  await desk.getByRole('button', { name: 'Save watch' }).click();
  await desk.getByRole('heading', { level: 1, name: 'Recipe talk' }).waitFor(WAIT);
  await desk.getByRole('button', { name: 'Delete' }).click();
  await desk.getByRole('button', { name: 'Delete watch' }).click();
  await desk.getByRole('heading', { level: 1, name: 'Listening' }).waitFor(WAIT);
  await desk.getByText('No watches yet.').waitFor(WAIT);
  // gone, its address is Watch not found (the API's 404)
  await desk.goto(`${srv.url}/#/watch/${id}`);
  await desk.getByRole('heading', { level: 1, name: 'Watch not found' }).waitFor(WAIT);
  const refused = desk.problems.filter((m) => /status of (422|404)/.test(m));
  assert.equal(refused.length, 3, 'the empty title, the bad query, the deleted watch');
  assert.deepEqual(desk.problems.filter((m) => !refused.includes(m)), []);
});

test('an alert from its notification, in words, with its posts, turned into a ticket', async () => {
  await post(author, `@${owner.username} have you seen what people say?`); // a mention beside the alert
  const w = await call(owner.token, 'POST', W, { title: 'Recipe outcry', query: 'bourbon outcry' });
  const aw = await call(author.token, 'POST', W, { title: 'My outcry', query: 'bourbon outcry' }); // not on the team
  const posts = [];
  for (let i = 0; i < 5; i++) posts.push(await post(author, `A bourbon outcry, day ${i}`));
  await Promise.all([matched(w.id, 5), matched(aw.id, 5, null, author)]);
  // the two buckets before these posts' had two each: 9 in 15 minutes; two quiet weeks learned
  const bucket = Math.floor(Date.parse(posts[0].created_at) / 300000);
  for (const x of [w, aw]) {
    await serverDatabaseSql(srv, twoEachBefore(x.id, bucket));
    const out = await adminCli(srv, ['listen', 'backfill', '--watch', x.id, '--days', '14']);
    assert.equal(out.code, 0, out.stderr);
  }
  const out = await adminCli(srv, ['listen', 'close', '--now', new Date((bucket + 2) * 300000 + 1000).toISOString()]);
  assert.equal(out.code, 0, out.stderr);
  const [al] = await call(owner.token, 'GET', `${W}/alerts`);
  assert.ok(al, 'the alert fired');
  const [authorAlert] = await call(author.token, 'GET', `${W}/alerts`);
  assert.ok(authorAlert, 'the other alert fired');

  // the notification is a line that links to the alert
  await phone.goto(`${srv.url}/#/notifications`);
  const line = phone.locator('li[data-type="partyline.alert"]');
  const link = line.getByRole('link', { name: '“Recipe outcry”: 9 posts in 15 minutes; usually 0 at this hour' });
  await link.waitFor(WAIT);
  await screenshot(phone, 'alert-notification-390');
  // and under Show: Listening alerts (the server's types[])
  await phone.locator('li[data-type="mention"]').waitFor(WAIT);
  await phone.getByLabel('Show').selectOption('alerts');
  await phone.locator('li[data-type="mention"]').waitFor({ state: 'detached', ...WAIT });
  await link.waitFor(WAIT);
  assert.match(phone.url(), /#\/notifications\/alerts$/);
  await link.click();
  await phone.getByRole('heading', { level: 1, name: 'Alert: Recipe outcry' }).waitFor(WAIT);
  assert.match(phone.url(), new RegExp(`#/alert/${al.id}$`));
  const facts = phone.getByRole('region', { name: 'What jumped' });
  await facts.getByText('9 posts in 15 minutes; usually 0 at this hour').waitFor(WAIT);
  await facts.getByText(/times what was expected\. The baseline: a (weekend|working day) at \d\d:00 UTC, a median of 0 an hour/).waitFor(WAIT);
  const cards = phone.getByRole('list', { name: 'Its posts' }).locator('article');
  await cards.first().waitFor(WAIT);
  assert.equal(await cards.count(), 5);
  await screenshot(phone, 'alert-390');
  await assertAccessible(phone, 'the alert');

  // the alerts list has it; the watch's dashboard too
  await desk.goto(`${srv.url}/#/alerts`);
  await desk.getByRole('list', { name: 'Alerts' }).getByRole('link', { name: /^Recipe outcry: 9 posts in 15 minutes/ }).waitFor(WAIT);
  await assertAccessible(desk, 'the alerts');
  await desk.goto(`${srv.url}/#/watch/${w.id}`);
  await desk.getByRole('list', { name: 'Alerts of this watch' }).getByRole('link', { name: /9 posts in 15 minutes/ }).waitFor(WAIT);

  // its watch's dashboard on the phone: the chart counts the window's nine (its buckets) on
  // today's UTC date (unless the window began before midnight); nothing wider than the screen
  await phone.goto(`${srv.url}/#/watch/${w.id}`);
  const today = await phone.evaluate(() => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date()));
  const oneDay = Math.floor((bucket - 2) / 288) === Math.floor(Date.now() / 86400000);
  assert.match(await phone.getByRole('img', { name: /^Matches per day/ }).getAttribute('aria-label', WAIT),
    new RegExp(`9 matches in all\\..*${oneDay ? `; ${today}: 9` : ''}\\.$`));
  await phone.getByRole('list', { name: 'Alerts of this watch' }).getByRole('link').first().waitFor(WAIT);
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scrolling');
  await screenshot(phone, 'watch-dashboard-390');
  await assertAccessible(phone, 'the dashboard on a phone');
  await phone.goBack();

  // Turn into ticket (the owner is on the service team): the ticket's page
  await phone.getByRole('button', { name: 'Turn this alert into a ticket' }).click();
  await phone.waitForURL(/#\/ticket\/\d+$/);
  await phone.getByRole('list', { name: 'Ticket thread' }).getByText(/Recipe outcry.*9 posts in 15 minutes/).first().waitFor(WAIT);
  await phone.getByRole('heading', { level: 1, name: 'Alert: Recipe outcry' }).waitFor(WAIT);
  // the link the alert's post in a channel carries (/listening/alerts/<id>) opens it too
  await phone.goto(`${srv.url}/listening/alerts/${al.id}`);
  await phone.getByRole('link', { name: 'Open its ticket' }).waitFor(WAIT);
  assert.match(phone.url(), new RegExp(`/#/alert/${al.id}$`));
  assert.equal(await phone.getByRole('button', { name: 'Turn this alert into a ticket' }).count(), 0);
  assert.deepEqual(phone.problems, []);

  // someone not on the service team reads their alert, without the button
  const theirs = await newPage(browser, PHONE);
  try {
    await signIn(theirs, srv.url, author);
    await theirs.goto(`${srv.url}/#/alert/${authorAlert.id}`);
    await theirs.getByRole('heading', { level: 1, name: 'Alert: My outcry' }).waitFor(WAIT);
    await theirs.getByText('9 posts in 15 minutes; usually 0 at this hour').waitFor(WAIT);
    assert.equal(await theirs.getByRole('button', { name: 'Turn this alert into a ticket' }).count(), 0);
    // and the owner's alert is not theirs: Alert not found
    await theirs.goto(`${srv.url}/#/alert/${al.id}`);
    await theirs.getByRole('heading', { level: 1, name: 'Alert not found' }).waitFor(WAIT);
  } finally {
    await theirs.context().close();
  }
});

test('a company feed’s item the watch matched: its title links to it, with its source', async () => {
  const rss = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Vendor status</title>
<item><title>Payment outage resolved</title><link>https://status.example/1</link><guid>s-1</guid>
  <pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate></item>
</channel></rss>`;
  feedServer = http.createServer((req, res) => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss));
  await new Promise((resolve) => { feedServer.listen(0, '127.0.0.1', resolve); });
  const username = uniqueName('ladm');
  const made = await adminCli(srv, ['create-user', '--username', username, '--email', `${username}@example.com`,
    '--password', 'long enough pw', '--admin']);
  assert.equal(made.code, 0, made.stderr);
  const scopes = `${ALL_SCOPES} admin:read admin:write`;
  const admin = (await passwordLogin(srv.url, await createApp(srv.url, { scopes }), username, 'long enough pw', scopes)).accessToken;

  const w = await call(owner.token, 'POST', W, { title: 'Payments', query: 'payment' });
  await call(admin, 'POST', '/api/v1/partyline/admin/feeds', { url: `http://127.0.0.1:${feedServer.address().port}/status.xml` });
  // the feed server is on 127.0.0.1, which a feed is fetched from only when allowed
  const out = await adminCli({ ...srv, cliEnv: { ...srv.cliEnv, PARTYLINE_FEEDS_ALLOW_LOOPBACK: '1' } },
    ['feeds', 'refresh']);
  assert.equal(out.code, 0, out.stderr);
  const end = Date.now() + 10_000;
  while ((await call(owner.token, 'GET', `${W}/${w.id}/feed_matches`)).length === 0) {
    assert.ok(Date.now() < end, 'the feed item matched');
    await new Promise((r) => setTimeout(r, 25));
  }
  await desk.goto(`${srv.url}/#/watch/${w.id}`);
  const item = desk.getByRole('list', { name: 'Feed matches' }).getByRole('listitem');
  await item.getByRole('link', { name: 'Payment outage resolved' }).waitFor(WAIT);
  assert.equal(await item.getByRole('link').getAttribute('href'), 'https://status.example/1');
  await item.getByText(/^Vendor status · /).waitFor(WAIT);
  await assertAccessible(desk, 'the dashboard with a feed match');
  // in dark mode too (the charts' and the tone's colours are the theme's)
  await desk.emulateMedia({ colorScheme: 'dark' });
  try {
    await assertAccessible(desk, 'the dashboard in dark mode');
    await screenshot(desk, 'watch-dashboard-dark-1440');
  } finally {
    await desk.emulateMedia({ colorScheme: 'light' });
  }
});
