// feeds.test.mjs — the live feeds in Debian's chromium against a real server: a followed
// person's post arrives as a "1 new post" bar without moving the page, a deleted post
// disappears live, the hashtag page (follow the tag), a curated feed, the Top order (and
// that a reload keeps it), the unread badge counting a mention live, the offline banner
// and catching up afterwards, and the slow and failed states of a feed. Screenshots and
// axe for home with the bar, a hashtag and a curated feed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, openComposer, PHONE, screenshot, signIn } from './browser.mjs';

let srv;
let browser;
let alice; // reads
let bob; // posts; alice follows him
let carol; // mentions alice
before(async () => {
  srv = await startServer();
  browser = await launch();
  alice = await registerUser(srv.url, uniqueName('alice'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  carol = await registerUser(srv.url, uniqueName('carol'));
  await alice.client.v1.accounts.$select(bob.account.id).follow();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const T = { timeout: 15_000 };

/**
 * Signs alice in on a new page and waits until the page has subscribed to `stream` on its
 * WebSocket (the subscribe frame is sent), so that what is posted next arrives live.
 */
async function openLive(size, hash = '#/home', stream = '"user"') {
  const page = await newPage(browser, size);
  const subscribed = new Promise((resolve) => {
    page.on('websocket', (ws) => ws.on('framesent', (f) => {
      if (String(f.payload).includes('"subscribe"') && String(f.payload).includes(stream)) resolve();
    }));
  });
  await signIn(page, srv.url, alice);
  if (hash !== '#/home') await page.goto(`${srv.url}/${hash}`);
  await subscribed;
  return page;
}

const feed = (page, name = 'Home feed') => page.getByRole('list', { name });

test('a followed person\'s post arrives live behind a "1 new post" bar; the page does not move', async () => {
  await bob.client.v1.statuses.create({ status: `an older post ${uniqueName('o')}` });
  const page = await openLive(DESK);
  const articles = feed(page).getByRole('article');
  await articles.first().waitFor(T);
  const firstBefore = await articles.first().getAttribute('data-id');
  const scrollBefore = await page.evaluate(() => scrollY);
  const focusBefore = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80));

  const text = `Live from bob ${uniqueName('live')}`;
  const posted = await bob.client.v1.statuses.create({ status: text });
  const bar = page.getByRole('button', { name: '1 new post', exact: true });
  await bar.waitFor(T);
  assert.equal(await articles.first().getAttribute('data-id'), firstBefore, 'the feed did not change by itself');
  assert.equal(await page.getByText(text).count(), 0, 'the new post waits behind the bar');
  assert.equal(await page.evaluate(() => scrollY), scrollBefore, 'the page did not scroll');
  assert.equal(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80)), focusBefore,
    'focus stayed where it was');

  await screenshot(page, 'home-live-1440');
  await assertAccessible(page, 'home with the new-posts bar 1440px');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'home-live-390');
  await assertAccessible(page, 'home with the new-posts bar 390px');

  await bar.click();
  await articles.first().getByText(text).waitFor(T);
  assert.equal(await articles.first().getAttribute('data-id'), posted.id);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.id), posted.id,
    'focus moved to the first new post');
  assert.equal(await bar.isHidden(), true, 'the bar is gone');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('one\'s own post shows at once and is not counted again when the stream echoes it', async () => {
  const page = await openLive(PHONE);
  const mine = `My own ${uniqueName('own')}`;
  await openComposer(page);
  await page.getByLabel('What would you like to share?').fill(mine);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await feed(page).getByRole('article').first().getByText(mine).waitFor(T);
  // the stream delivers in order: bob's post after the echo of mine makes the bar say 1, not 2
  await bob.client.v1.statuses.create({ status: `After yours ${uniqueName('own')}` });
  await page.getByRole('button', { name: '1 new post', exact: true }).waitFor(T);
  assert.equal(await feed(page).getByText(mine).count(), 1, 'my post is shown once');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a deleted post disappears live, and an edited one is replaced', async () => {
  const text = `Soon gone ${uniqueName('d')}`;
  const gone = await bob.client.v1.statuses.create({ status: text });
  const kept = await bob.client.v1.statuses.create({ status: `To be edited ${uniqueName('e')}` });
  const page = await openLive(PHONE);
  await feed(page).getByText(text).waitFor(T);
  await bob.client.v1.statuses.$select(gone.id).remove();
  await feed(page).getByText(text).waitFor({ state: 'detached', ...T });
  const edited = `Edited live ${uniqueName('e')}`;
  await bob.client.v1.statuses.$select(kept.id).update({ status: edited });
  await feed(page).getByText(edited).waitFor(T);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the hashtag page shows tagged posts, arrives live, and following the tag works', async () => {
  const tag = uniqueName('tag').replace(/[^a-z0-9]/gi, '');
  const text = `Tagged post #${tag}`;
  await bob.client.v1.statuses.create({ status: text, visibility: 'public' });
  for (const [size, name] of [[PHONE, 'tag-390'], [DESK, 'tag-1440']]) {
    const page = await openLive(size, `#/tag/${tag}`, `"hashtag"`);
    await page.getByRole('heading', { name: `#${tag}` }).waitFor(T);
    await feed(page, `Posts tagged #${tag}`).getByText(text).waitFor(T);
    await page.getByRole('button', { name: `Follow #${tag}` }).waitFor(T);
    await screenshot(page, name);
    await assertAccessible(page, `hashtag page ${size.width}px`);
    if (size === DESK) {
      // from a post in the home feed, its hashtag leads here
      await page.goto(`${srv.url}/#/home`);
      await feed(page).getByRole('link', { name: `#${tag}` }).first().click();
      await page.waitForURL((u) => u.hash === `#/tag/${tag}`);
      await page.getByRole('button', { name: `Follow #${tag}` }).click();
      await page.getByRole('button', { name: `Following #${tag}` }).waitFor(T);
      const followed = await alice.client.v1.followedTags.list();
      assert.ok(followed.some((t) => t.name.toLowerCase() === tag.toLowerCase()), 'the server has the follow');
      await carol.client.v1.statuses.create({ status: `Another one #${tag}`, visibility: 'public' });
      await page.getByRole('button', { name: '1 new post', exact: true }).click(T);
      await feed(page, `Posts tagged #${tag}`).getByRole('article').first().getByText('Another one').waitFor(T);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a curated feed shows its people\'s posts live, with a way to edit it', async () => {
  const list = await alice.client.v1.lists.create({ title: `Work ${uniqueName('l')}` });
  await alice.client.v1.lists.$select(list.id).accounts.create({ accountIds: [bob.account.id] });
  const text = `For the list ${uniqueName('l')}`;
  await bob.client.v1.statuses.create({ status: text });
  for (const [size, name] of [[PHONE, 'list-390'], [DESK, 'list-1440']]) {
    const page = await openLive(size, `#/list/${list.id}`, '"list"');
    await page.getByRole('heading', { name: list.title }).waitFor(T);
    await feed(page, 'Feed posts').getByText(text).waitFor(T);
    const edit = page.getByRole('link', { name: 'Edit this feed' });
    assert.equal(await edit.getAttribute('href'), `#/feeds/${list.id}`);
    await screenshot(page, name);
    await assertAccessible(page, `curated feed ${size.width}px`);
    if (size === DESK) {
      const live = `Live in the list ${uniqueName('l')}`;
      await bob.client.v1.statuses.create({ status: live });
      await page.getByRole('button', { name: '1 new post', exact: true }).click(T);
      await feed(page, 'Feed posts').getByRole('article').first().getByText(live).waitFor(T);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('Top puts the post with more votes first, explains the score, and survives a reload', async () => {
  const liked = await bob.client.v1.statuses.create({ status: `Much liked ${uniqueName('t')}` });
  await bob.client.v1.statuses.create({ status: `Newer but unliked ${uniqueName('t')}` });
  await alice.client.v1.statuses.$select(liked.id).favourite();
  await carol.client.v1.statuses.$select(liked.id).favourite();
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await page.getByRole('link', { name: 'Top', exact: true }).click();
  await page.waitForURL((u) => u.hash === '#/home/top');
  const first = feed(page).getByRole('article').first();
  await first.getByText('Much liked').waitFor(T);
  await first.getByText(/Score [\d.]+: 2 votes/).waitFor(T);
  await screenshot(page, 'home-top-390');
  await assertAccessible(page, 'home, Top, 390px');
  await page.reload();
  await feed(page).getByRole('article').first().getByText('Much liked').waitFor(T);
  assert.equal(await page.getByRole('link', { name: 'Top', exact: true }).getAttribute('aria-current'), 'page');
  await page.getByRole('link', { name: 'This week' }).click();
  await page.waitForURL((u) => u.hash === '#/home/top/7d');
  await feed(page).getByRole('article').first().getByText('Much liked').waitFor(T);
  await page.getByRole('link', { name: 'Newest' }).click();
  await page.waitForURL((u) => u.hash === '#/home');
  await feed(page).getByRole('article').first().getByText('Newer but unliked').waitFor(T);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the unread badges count a mention and a direct message as they happen, each once', async () => {
  const page = await openLive(DESK);
  const before_ = (await alice.client.v1.notifications.list({ limit: 40 })).length;
  await page.getByRole('link', { name: before_ ? `Notifications, ${before_} unread` : 'Notifications', exact: true })
    .waitFor(T);
  await carol.client.v1.statuses.create({ status: `@${alice.account.acct} have a look` });
  await page.getByRole('link', { name: `Notifications, ${before_ + 1} unread`, exact: true }).waitFor(T);
  await assertAccessible(page, 'home with an unread badge');
  // a direct message starts a conversation: the Messages badge counts it
  await carol.client.v1.statuses.create({ status: `@${alice.account.acct} just between us`, visibility: 'direct' });
  await page.getByRole('link', { name: 'Messages, 1 unread', exact: true }).waitFor(T);
  // counted once: as a message, not also as a notification
  assert.equal(await page.getByRole('link', { name: `Notifications, ${before_ + 1} unread`, exact: true }).count(), 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('offline shows a banner; back online it goes and the feed catches up', async () => {
  await bob.client.v1.statuses.create({ status: `Before the outage ${uniqueName('off')}` });
  const page = await openLive(PHONE);
  await feed(page).getByRole('article').first().waitFor(T);
  const banner = page.getByText('You are offline. Posts may be out of date');
  await page.context().setOffline(true);
  await banner.waitFor(T);
  await screenshot(page, 'home-offline-390');
  // more than one page (40) of them: the catch-up pages forward and leaves no gap
  const text = `Posted while you were away ${uniqueName('off')}`;
  for (let i = 0; i < 44; i++) await bob.client.v1.statuses.create({ status: `Away ${i}` });
  await bob.client.v1.statuses.create({ status: text });
  // back online the stream is opened afresh and the feed asks for what it missed
  const caughtUp = page.waitForRequest((r) => /\/timelines\/home\?.*min_id=/.test(r.url()), T);
  await page.context().setOffline(false);
  await banner.waitFor({ state: 'hidden', ...T });
  await caughtUp;
  await page.getByRole('button', { name: '45 new posts', exact: true }).click(T);
  await feed(page).getByRole('article').first().getByText(text).waitFor(T);
  await feed(page).getByText('Away 0', { exact: true }).waitFor(T);
  assert.deepEqual(page.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(p)), []);
  await page.context().close();
});

test('a feed that is slow says so, and one that fails says why and offers to try again', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  // the fresh feed, not the last visit's copy a reload shows at once (homesnapshot.js)
  const freshPosts = () => page.locator('ol[aria-label="Home feed"]:not([data-snapshot])').getByRole('article');
  // slow: the answer is held back 4 s (a request the page gave up by reloading meanwhile
  // is no longer the route's to continue)
  await page.route('**/api/v1/timelines/home?*', async (route) => {
    await new Promise((r) => setTimeout(r, 4000));
    await route.continue().catch(() => {});
  });
  await page.reload();
  await page.getByText('Still loading…').waitFor(T);
  await freshPosts().first().waitFor(T);
  await page.unroute('**/api/v1/timelines/home?*');
  // failing: the network refuses once
  await page.route('**/api/v1/timelines/home?*', (route) => route.abort());
  await page.reload();
  await page.getByText('The server cannot be reached').waitFor(T);
  const again = page.getByRole('button', { name: 'Try again' });
  await page.unroute('**/api/v1/timelines/home?*');
  await again.click();
  await freshPosts().first().waitFor(T);
  assert.equal(await again.isHidden(), true);
  // the aborted request is a console error of the browser's own, not of the page's code
  assert.deepEqual(page.problems.filter((p) => !/Failed to load resource|ERR_FAILED/.test(p)), []);
  await page.context().close();
});

test('when the live connection stays down, a banner says posts may be out of date', async () => {
  // a server of its own, stopped under the page: the socket drops and cannot come back
  const own = await startServer();
  const dave = await registerUser(own.url, uniqueName('dave'));
  const page = await newPage(browser, PHONE);
  const opened = page.waitForEvent('websocket');
  await signIn(page, own.url, dave);
  const ws = await opened;
  // the socket ends with a close, or with an error when the server goes first (Playwright's
  // waitForEvent('close') rejects on that error, so both are listened to)
  const closed = new Promise((resolve) => { ws.on('close', resolve); ws.on('socketerror', resolve); });
  await own.stop();
  await closed;
  // the banner waits out short drops (10 s) before it speaks
  await page.getByText('The live connection to the server is down').waitFor({ timeout: 25_000 });
  await page.getByText('reconnect by itself').waitFor();
  // the failed reconnects are the browser's own console messages, not the page's
  assert.deepEqual(page.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(p)), []);
  await page.context().close();
});
