// deskside.test.mjs — the desk's right column (js/desk.js) and the notifications filter by
// type (views/notifications.js), in chromium against a real server (issue 13, items 13 and 11).
// At 1440×900 the column shows a channel's unread count, which drops to 0 after visiting the
// channel and rises live when someone posts in it; trending hashtags; catch-up items linking
// to posts. At 390×844 there is no column. Screenshots at both sizes; axe-core.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function call(who, method, path, json) {
  const r = await raw(srv.url, path, { method, token: who.token, json });
  assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
  return r.json;
}

describe('the desk column', () => {
  test('channels with unread counts (cleared by a visit, raised live), trends and the catch-up', async () => {
    const me = await registerUser(srv.url, uniqueName('desk'));
    const ana = await registerUser(srv.url, uniqueName('ana'));
    const title = `Launch ${uniqueName('x')}`;
    const ch = await call(ana, 'POST', '/api/v1/partyline/channels', { name: uniqueName('launch'), display_name: title });
    await call(me, 'POST', `/api/v1/partyline/channels/${ch.id}/join`);
    await call(ana, 'POST', '/api/v1/statuses', { status: 'The date is set', channel_id: ch.id });
    await call(ana, 'POST', '/api/v1/statuses', { status: 'Posters are in', channel_id: ch.id });
    const tag = uniqueName('offsite').toLowerCase();
    await ana.client.v1.statuses.create({ status: `Who is coming to the #${tag}?` });
    const mention = await ana.client.v1.statuses.create({ status: `@${me.username} can you check the budget?` });

    const page = await newPage(browser, DESK);
    await signIn(page, srv.url, me);
    const desk = page.getByRole('complementary', { name: 'Your desk' });
    // "Launch, 2 new posts": the badge shows the number, the name says it in words
    const named = (words) => desk.getByRole('link', { name: new RegExp(`^${title} ?, ${words}$`) });
    const channelLink = desk.getByRole('link', { name: new RegExp(`^${title} ?, `) });
    await named('2 new posts').waitFor({ timeout: 15_000 });
    await desk.getByRole('link', { name: `#${tag}` }).waitFor();
    const item = desk.getByRole('link', { name: /can you check the budget/ });
    await item.waitFor();
    assert.equal(await item.getAttribute('href'), `#/status/${mention.id}`);
    assert.equal(await desk.getByRole('link', { name: 'See the whole catch-up' }).getAttribute('href'), '#/catchup');
    // one reading column beside it, as wide as before
    const main = await page.locator('main').boundingBox();
    const aside = await desk.boundingBox();
    assert.ok(main.width <= 640 + 1, `the feed keeps its width: ${main.width}`);
    assert.ok(aside.x >= main.x + main.width, 'the column is beside the feed');
    await screenshot(page, 'deskside-1440');
    await assertAccessible(page, 'home with the desk column');

    await channelLink.click();
    await page.waitForURL((u) => u.hash === `#/channel/${ch.id}`);
    await page.getByRole('heading', { name: title }).first().waitFor();
    await named('nothing new').waitFor({ timeout: 10_000 });
    await page.goto(`${srv.url}/#/home`);
    await named('nothing new').waitFor({ timeout: 10_000 });

    await call(ana, 'POST', '/api/v1/statuses', { status: 'Venue confirmed', channel_id: ch.id });
    await named('1 new post').waitFor({ timeout: 10_000 });
    assert.equal(await desk.locator('.desk-unread').first().textContent(), '1');
    assert.deepEqual(page.problems, []);
  });

  test('a section that fails says so alone; the others stand', async () => {
    const me = await registerUser(srv.url, uniqueName('desk'));
    const page = await newPage(browser, DESK);
    await page.route('**/api/v1/trends/tags*', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"boom"}' }));
    await signIn(page, srv.url, me);
    const desk = page.getByRole('complementary', { name: 'Your desk' });
    const trends = desk.getByRole('region', { name: 'Trending hashtags' });
    await trends.getByRole('button', { name: 'Try again' }).waitFor({ timeout: 15_000 });
    await desk.getByRole('link', { name: /^Everyone ?, nothing new$/ }).waitFor(); // the everyone channel
    await desk.getByText('You are all caught up.').waitFor();
    await page.unroute('**/api/v1/trends/tags*');
    await trends.getByRole('button', { name: 'Try again' }).click();
    await trends.getByText('Nothing is trending yet.').or(trends.getByRole('list')).first().waitFor();
  });

  test('on a phone there is no column', async () => {
    const me = await registerUser(srv.url, uniqueName('phone'));
    const page = await newPage(browser, PHONE);
    const asked = [];
    page.on('request', (r) => { if (/channels\/unread|trends\/tags/.test(r.url())) asked.push(r.url()); });
    await signIn(page, srv.url, me);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.equal(await page.getByRole('complementary').count(), 0);
    assert.deepEqual(asked, [], 'nothing is fetched for a column not shown');
    await screenshot(page, 'deskside-390');
  });
});

describe('notifications by kind', () => {
  test('Show picks one kind through types[], kept in the address through reload and Back; empty states name it', async () => {
    const me = await registerUser(srv.url, uniqueName('note'));
    const ana = await registerUser(srv.url, uniqueName('ana'));
    const mine = await me.client.v1.statuses.create({ status: 'Slides for Monday are up' });
    await ana.client.v1.accounts.$select(me.account.id).follow();
    await ana.client.v1.statuses.$select(mine.id).favourite();
    await ana.client.v1.statuses.$select(mine.id).reblog();
    await ana.client.v1.statuses.create({ status: `@${me.username} thanks for the slides` });

    const page = await newPage(browser, PHONE);
    const asked = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/notifications?')) asked.push(decodeURIComponent(r.url())); });
    await signIn(page, srv.url, me);
    await page.goto(`${srv.url}/#/notifications`);
    const list = page.getByRole('list', { name: 'Notifications' });
    const rows = list.locator(':scope > li');
    await list.getByText('mentioned you').waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('.notifications > li').length === 4);
    const types = async () => rows.evaluateAll((els) => els.map((e) => e.dataset.type));

    const show = page.getByLabel('Show');
    await show.focus(); // as a keyboard user: arrow keys change a select at once
    await show.selectOption({ label: 'Likes' });
    await page.waitForURL((u) => u.hash === '#/notifications/likes');
    await list.getByText('liked your post').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.notifications > li').length === 1);
    assert.deepEqual(await types(), ['favourite']);
    assert.ok(asked.some((u) => u.includes('types[]=favourite')), 'the server filters: types[] on the request');
    assert.equal(await show.evaluate((e) => document.activeElement === e), true, 'focus stays on the select');
    await screenshot(page, 'deskside-notifications-390');
    await assertAccessible(page, 'notifications filtered by kind');

    await page.reload();
    await list.getByText('liked your post').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByLabel('Show').inputValue(), 'likes', 'a reload keeps the kind');
    assert.deepEqual(await types(), ['favourite']);

    await page.getByLabel('Show').selectOption({ label: 'Follows' });
    await list.getByText('followed you').waitFor();
    assert.deepEqual(await types(), ['follow']);
    await page.goBack();
    await page.waitForURL((u) => u.hash === '#/notifications/likes');
    await list.getByText('liked your post').waitFor();
    assert.equal(await page.getByLabel('Show').inputValue(), 'likes', 'Back returns to the kind before');

    await page.goto(`${srv.url}/#/notifications/edits`);
    await page.getByText('No post you interacted with has been edited yet.').waitFor({ timeout: 15_000 });
    await page.goto(`${srv.url}/#/notifications/channels`);
    await page.getByText('No requests to join your channels, and no answers to yours, yet.').waitFor({ timeout: 15_000 });
    assert.deepEqual(page.problems, []);
  });
});
