// live-people.test.mjs — the people screens' second pass in the browser against a real
// server: a like arriving live on the open notifications page (behind the bar, never counted
// unread while the page is visible), direct messages arriving live in the messages list and
// in an open conversation, a profile's Message button, a notification's post opening its
// thread, an already-answered follow request, and sign-in coming back to the address the
// person was on. Screenshots and axe for the notifications page with its new-notifications bar.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };

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

/**
 * Signs in on a new page and waits until the page's one socket has subscribed to the user
 * and direct streams (unread.js does it at start), so that what happens next arrives live.
 * Screens are then opened in-page (a hash change), which keeps that socket.
 */
async function openLive(size, who) {
  const page = await newPage(browser, size);
  const seen = new Set();
  const subscribed = new Promise((resolve) => {
    page.on('websocket', (ws) => ws.on('framesent', (f) => {
      const text = String(f.payload);
      if (!text.includes('"subscribe"')) return;
      for (const s of ['user', 'direct']) if (text.includes(`"${s}"`)) seen.add(s);
      if (seen.size === 2) resolve();
    }));
  });
  await signIn(page, srv.url, who);
  await subscribed;
  return page;
}

const go = (page, hash) => page.evaluate((to) => { location.hash = to; }, hash);

/** Waits until fn() (a server check) holds. */
async function eventually(fn, what) {
  const end = Date.now() + WAIT.timeout;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const badgeHidden = (page, route) => page.waitForFunction(
  (r) => document.querySelector(`#nav a[href="#/${r}"] .badge`)?.hidden === true, route, WAIT);

test('a like arrives live on the open notifications page behind the bar, is not counted unread, and its post opens the thread', async () => {
  const gus = await registerUser(srv.url, uniqueName('gus'));
  const hana = await registerUser(srv.url, uniqueName('hana'));
  const ivo = await registerUser(srv.url, uniqueName('ivo'));
  await hana.client.v1.accounts.updateCredentials({ displayName: 'Hana Sato' });
  await ivo.client.v1.accounts.updateCredentials({ displayName: 'Ivo Lind' });
  const post = await gus.client.v1.statuses.create({ status: 'Lunch talk at noon' });
  await hana.client.v1.accounts.$select(gus.account.id).follow();
  const unread = async () => (await raw(srv.url, '/api/v1/partyline/unread', { token: gus.token })).json.notifications;

  const likers = [[PHONE, hana, 'Hana Sato liked your post'], [DESK, ivo, 'Ivo Lind and Hana Sato liked your post']];
  for (const [size, liker, said] of likers) {
    const page = await openLive(size, gus);
    await go(page, '#/notifications');
    const list = page.getByRole('list', { name: 'Notifications' });
    await list.getByText('Hana Sato followed you').waitFor(WAIT);
    await eventually(async () => (await unread()) === 0, 'opening the page read what it shows');

    await liker.client.v1.statuses.$select(post.id).favourite();
    const bar = page.getByRole('button', { name: '1 new notification' });
    await bar.waitFor(WAIT);
    // the page is open and visible: the bar is the count, the navigation badge is not
    await eventually(async () => (await unread()) === 0, 'the live like was marked read');
    await badgeHidden(page, 'notifications');
    assert.equal(await list.getByText(said).count(), 0, 'nothing moved in the list before the bar was used');
    await screenshot(page, `notifications-live-${size.width}`);
    await assertAccessible(page, `notifications with the new-notifications bar ${size.width}px`);

    await bar.click();
    const row = list.getByRole('listitem').filter({ hasText: said });
    await row.waitFor(WAIT);
    assert.equal(await bar.isHidden(), true, 'the bar is gone once used');
    assert.equal(await row.evaluate((li) => li === document.activeElement), true, 'focus is on what was shown');
    assert.equal(await row.getByText('New', { exact: true }).count(), 1, 'it is marked new');
    if (size === DESK) {
      // the two likes of one post are told once
      assert.equal(await list.getByRole('listitem').filter({ hasText: /liked your post/ }).count(), 1);
      await row.getByRole('link', { name: 'Open the post' }).click();
      await page.getByRole('heading', { name: 'Thread', level: 1 }).waitFor(WAIT);
      await page.getByRole('list', { name: 'Thread' }).getByText('Lunch talk at noon').waitFor(WAIT);
      assert.equal(new URL(page.url()).hash, `#/status/${post.id}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a notification that arrives while the tab is hidden stays unread until the tab is shown', async () => {
  const pia = await registerUser(srv.url, uniqueName('pia'));
  const rob = await registerUser(srv.url, uniqueName('rob'));
  const post = await pia.client.v1.statuses.create({ status: 'Quarterly numbers are in' });
  const unread = async () => (await raw(srv.url, '/api/v1/partyline/unread', { token: pia.token })).json.notifications;
  const page = await openLive(PHONE, pia);
  await go(page, '#/notifications');
  await page.getByText(/^Nothing yet\./).waitFor(WAIT);
  // the browser says the tab is in the background
  const setVisibility = (state) => page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
  await setVisibility('hidden');
  await rob.client.v1.statuses.$select(post.id).favourite();
  await page.getByRole('button', { name: '1 new notification' }).waitFor(WAIT);
  // nobody saw it: the count stays (the badge says so once the count is fetched)
  await page.waitForFunction(() => document.querySelector('#nav a[href="#/notifications"] .badge')?.textContent === '1 unread', null, WAIT);
  assert.equal(await unread(), 1);
  await setVisibility('visible');
  await eventually(async () => (await unread()) === 0, 'showing the tab read it');
  await badgeHidden(page, 'notifications');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('direct messages arrive live in the messages list and in the open conversation, which marks them read', async () => {
  const jon = await registerUser(srv.url, uniqueName('jon'));
  const ivy = await registerUser(srv.url, uniqueName('ivy'));
  const kim = await registerUser(srv.url, uniqueName('kim'));
  await ivy.client.v1.accounts.updateCredentials({ displayName: 'Ivy Chen' });
  await kim.client.v1.accounts.updateCredentials({ displayName: 'Kim Roy' });

  const page = await openLive(PHONE, jon);
  await go(page, '#/messages');
  await page.getByText('No messages yet.').waitFor(WAIT);
  const list = page.getByRole('list', { name: 'Conversations' });

  const first = await ivy.client.v1.statuses.create({ status: `@${jon.username} Are you in today?`, visibility: 'direct' });
  const ivyRow = list.getByRole('listitem').filter({ hasText: 'Ivy Chen' });
  await ivyRow.getByText('Are you in today?').waitFor(WAIT);
  await ivyRow.getByText('Unread').waitFor(WAIT);
  await kim.client.v1.statuses.create({ status: `@${jon.username} Lunch at one?`, visibility: 'direct' });
  await list.getByRole('listitem').first().getByText('Lunch at one?').waitFor(WAIT);
  // Ivy writes again: her conversation comes back to the top with the new message
  await ivy.client.v1.statuses.create({ status: `@${jon.username} Bring the keys`, visibility: 'direct', inReplyToId: first.id });
  await list.getByRole('listitem').first().getByText('Bring the keys').waitFor(WAIT);
  assert.equal(await list.getByRole('listitem').count(), 2, 'a conversation moves, it is not listed twice');
  await screenshot(page, 'messages-live-390');
  await assertAccessible(page, 'messages after live updates 390px');

  await ivyRow.getByRole('link').click();
  const messages = page.getByRole('list', { name: 'Messages' });
  await messages.getByText('Bring the keys').waitFor(WAIT);
  const [conv] = (await jon.client.v1.conversations.list()).filter((c) => c.accounts.some((a) => a.id === ivy.account.id));
  await eventually(async () => {
    const [c] = (await jon.client.v1.conversations.list()).filter((x) => x.id === conv.id);
    return c.unread === false;
  }, 'opening the conversation read it');

  await page.getByLabel('Reply to Ivy Chen').fill('On my way');
  await ivy.client.v1.statuses.create({ status: `@${jon.username} Door code is 4711`, visibility: 'direct', inReplyToId: first.id });
  await messages.getByText('Door code is 4711').waitFor(WAIT);
  assert.equal(await page.getByLabel('Reply to Ivy Chen').inputValue(), 'On my way', 'what was being typed stays');
  await eventually(async () => {
    const [c] = (await jon.client.v1.conversations.list()).filter((x) => x.id === conv.id);
    return c.unread === false && /Door code/.test(c.lastStatus.content);
  }, 'the live message was marked read while the conversation was open');
  // only Kim's conversation is left unread
  await page.waitForFunction(() => document.querySelector('#nav a[href="#/messages"] .badge')?.textContent === '1 unread', null, WAIT);

  // one's own reply shows once, though the stream brings it too
  await page.getByRole('button', { name: 'Send' }).click();
  await messages.getByText('On my way').waitFor(WAIT);
  await eventually(async () => (await ivy.client.v1.conversations.list())
    .some((c) => /On my way/.test(c.lastStatus?.content ?? '')), 'Ivy has the reply');
  assert.equal(await messages.getByText('On my way').count(), 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a profile's Message button starts a direct conversation the recipient receives", async () => {
  const ned = await registerUser(srv.url, uniqueName('ned'));
  const lena = await registerUser(srv.url, uniqueName('lena'));
  await lena.client.v1.accounts.updateCredentials({ displayName: 'Lena Ruiz' });
  const text = `Can we swap shifts ${uniqueName('s')}?`;

  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ned);
  await page.goto(`${srv.url}/#/profile/${lena.account.id}`);
  await page.getByRole('link', { name: 'Message', exact: true }).click(WAIT);
  await page.getByRole('list', { name: 'Recipients' }).getByText('Lena Ruiz').waitFor(WAIT);
  // the recipient is chosen, so the message box has the keyboard
  await page.waitForFunction(() => document.activeElement?.id === 'dm-text', null, WAIT);
  await screenshot(page, 'messages-new-390');
  await assertAccessible(page, 'new message to a chosen person 390px');
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('heading', { name: 'Messages with Lena Ruiz' }).waitFor(WAIT);
  await page.getByRole('list', { name: 'Messages' }).getByText(text).waitFor(WAIT);

  const convs = await lena.client.v1.conversations.list();
  const got = convs.find((c) => c.lastStatus?.content.includes(text));
  assert.ok(got, 'Lena has the message');
  assert.equal(got.lastStatus.visibility, 'direct');
  assert.deepEqual(got.accounts.map((a) => a.id), [ned.account.id]);
  assert.equal(got.unread, true);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a follow request answered elsewhere says so instead of "Record not found"', async () => {
  const lena = await registerUser(srv.url, uniqueName('lena'));
  const max = await registerUser(srv.url, uniqueName('max'));
  await lena.client.v1.accounts.updateCredentials({ locked: true });
  await max.client.v1.accounts.updateCredentials({ displayName: 'Max Weber' });
  await max.client.v1.accounts.$select(lena.account.id).follow();

  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, lena);
  await page.goto(`${srv.url}/#/notifications`);
  const row = page.getByRole('listitem').filter({ hasText: 'Max Weber asked to follow you' });
  await row.getByRole('button', { name: 'Accept Max Weber' }).waitFor(WAIT);
  // answered in another tab meanwhile
  await lena.client.v1.followRequests.$select(max.account.id).authorize();
  await row.getByRole('button', { name: 'Accept Max Weber' }).click();
  await row.getByText(/This request was already answered/).waitFor(WAIT);
  assert.equal(await page.getByText('Record not found').count(), 0);
  // the failed request is logged by the browser; nothing else may be
  assert.deepEqual(page.problems.filter((p) => !/status of 404/.test(p)), []);
  await page.context().close();
});

test('signing in from a search address comes back to it; a kept address that is not in-app leads home', async () => {
  const olga = await registerUser(srv.url, uniqueName('olga'));
  const page = await newPage(browser, PHONE);
  await page.goto(`${srv.url}/#/search/lunch`);
  await page.getByRole('button', { name: 'Sign in' }).click(WAIT);
  await page.waitForURL(/\/oauth\/authorize\?/);
  await page.getByLabel('E-mail or username').fill(olga.email);
  await page.getByLabel('Password').fill(olga.password);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL((u) => u.hash === '#/search/lunch' && !u.search, WAIT);
  await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor(WAIT);
  assert.equal(await page.getByLabel('Search people, posts and hashtags').inputValue(), 'lunch');

  // sign out, then a tampered pending state: the client goes home, not to the address
  await page.evaluate(() => localStorage.removeItem('partyline.token'));
  await page.goto(`${srv.url}/#/status/1`);
  await page.getByRole('button', { name: 'Sign in' }).click(WAIT);
  await page.waitForURL(/\/oauth\/authorize\?/);
  await page.evaluate(() => {
    const p = JSON.parse(sessionStorage.getItem('partyline.pending'));
    sessionStorage.setItem('partyline.pending', JSON.stringify({ ...p, back: '//evil.example/x' }));
  });
  await page.getByLabel('E-mail or username').fill(olga.email);
  await page.getByLabel('Password').fill(olga.password);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL((u) => u.hash === '#/home' && !u.search && u.origin === srv.url, WAIT);
  // signed out, the thread view first asks for the post as a visitor (links.test.mjs): without
  // public_read the server's 401 is how it learns to show the sign-in page
  assert.deepEqual(page.problems.filter((p) => !/status of 401/.test(p)), []);
  await page.context().close();
});
