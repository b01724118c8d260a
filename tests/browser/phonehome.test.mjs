// phonehome.test.mjs — the phone's home in chromium against a real server (issue 13 items 2
// and 15): the feed first, a "Share something…" that opens the composer full screen (inline
// on the desk), a top bar with search and one's avatar menu, tabs with icons and live unread
// counts. Screenshots at 390×844 and 1440×900, axe clean at both.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, openComposer, PHONE, screenshot, signIn } from './browser.mjs';

const T = { timeout: 10_000 };
let srv;
let browser;
let ana;
let ben;
before(async () => {
  srv = await startServer();
  browser = await launch();
  ana = await registerUser(srv.url, uniqueName('ana'));
  ben = await registerUser(srv.url, uniqueName('ben'));
  await ana.client.v1.accounts.$select(ben.account.id).follow();
  for (let i = 0; i < 3; i++) await ben.client.v1.statuses.create({ status: `Ben's week, note ${i}`, visibility: 'public' });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const feed = (page) => page.getByRole('list', { name: 'Home feed' });

test('the phone opens on the feed: the first post is above the fold, no composer open', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ana);
  const first = feed(page).getByRole('article').first();
  await first.getByText("Ben's week, note 2").waitFor(T);
  await page.locator('.opener-picture img.avatar').waitFor(T); // one's avatar beside "Share something…"
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  const box = await first.boundingBox();
  const tabbar = await page.locator('.nav-main').boundingBox();
  assert.ok(box.y >= 0 && box.y + 80 <= tabbar.y, `the first post starts above the fold (y ${box.y}, tab bar at ${tabbar.y})`);
  assert.equal(await page.locator('form.compose textarea').filter({ visible: true }).count(), 0, 'no open composer');
  assert.ok(await page.getByRole('button', { name: 'Share something…' }).isVisible());
  await screenshot(page, 'phonehome-390');
  await assertAccessible(page, 'the phone home 390px');

  const desk = await newPage(browser, DESK);
  await signIn(desk, srv.url, ana);
  await feed(desk).getByRole('article').first().getByText("Ben's week, note 2").waitFor(T);
  await screenshot(desk, 'phonehome-1440');
  await assertAccessible(desk, 'the home 1440px');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(desk.problems, []);
  await page.context().close();
  await desk.context().close();
});

test('"Share something…" opens the composer full screen; focus stays inside, Esc closes, the draft stays; posting shows the post on top', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ana);
  const opener = page.getByRole('button', { name: 'Share something…' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'New post' });
  await dialog.waitFor(T);
  const box = await dialog.boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, PHONE.width, PHONE.height], 'the dialog covers the viewport');
  assert.ok(await page.evaluate(() => document.activeElement?.matches('dialog[open] form.compose textarea')), 'focus on the text');
  // every compose feature is there: audience, files, poll, content warning, Markdown
  for (const name of ['Add pictures or files', 'Add a poll']) await dialog.getByRole('button', { name }).waitFor(T);
  await dialog.getByLabel('Add a content warning').waitFor(T);
  await dialog.locator('select').first().waitFor(T);
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]')), `Tab ${i + 1} stays in the dialog`);
  }
  await screenshot(page, 'phonehome-composer-390');
  await assertAccessible(page, 'the full-screen composer 390px');

  const words = `Half-written thought ${uniqueName('d')}`;
  await dialog.getByLabel('What would you like to share?').fill(words);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...T });
  assert.ok(await page.evaluate(() => document.activeElement?.matches('button.compose-opener')), 'focus back on the opener');
  await opener.getByText('Draft', { exact: true }).waitFor(T); // the opener says a draft waits
  // the draft stays: reopened, and after a reload
  await opener.click();
  assert.equal(await dialog.getByLabel('What would you like to share?').inputValue(), words);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden', ...T });
  // drafts.js saves 400 ms after typing (and on pagehide): the reload comes once it has
  await page.waitForFunction((w) => Object.keys(localStorage)
    .some((k) => k.startsWith('partyline.draft:') && localStorage.getItem(k).includes(w)), words, T);
  await page.reload();
  await feed(page).waitFor({ state: 'attached', ...T });
  const form = await openComposer(page);
  await page.waitForFunction((w) => document.querySelector('dialog[open] form.compose textarea')?.value === w, words, T);

  // posting closes it and shows the post at the top of the feed
  await form.getByRole('button', { name: 'Post', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', ...T });
  await feed(page).getByRole('article').first().getByText(words).waitFor(T);
  assert.equal(await page.locator('form.compose textarea').inputValue(), '', 'the composer is emptied');
  assert.ok(await opener.getByText('Draft', { exact: true }).isHidden(), 'no draft waiting');
  await opener.click();
  assert.equal(await dialog.getByLabel('What would you like to share?').inputValue(), '', 'no draft left');
  await page.keyboard.press('Escape');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('on the desk the composer opens inline in the opener\'s place; Escape folds it back', async () => {
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, ana);
  await page.getByRole('button', { name: 'Share something…' }).click();
  const form = page.getByRole('form', { name: 'New post' });
  await form.waitFor(T);
  assert.equal(await page.locator('dialog[open]').count(), 0, 'no dialog on the desk');
  assert.ok(await page.evaluate(() => document.activeElement?.matches('.compose-slot > form.compose textarea')));
  assert.equal(await page.getByRole('button', { name: 'Share something…' }).isVisible(), false);
  await screenshot(page, 'phonehome-composer-1440');
  await assertAccessible(page, 'the inline composer 1440px');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Share something…' }).waitFor(T);
  assert.equal(await form.count(), 0);
  await page.context().close();
});

test('the top bar: search finds a post, the avatar menu works from the keyboard, Sign out is in it', async () => {
  const word = uniqueName('zebra').replace(/_/g, '');
  await ben.client.v1.statuses.create({ status: `The ${word} report is out`, visibility: 'public' });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ana);
  const bar = page.locator('header.bar');
  assert.equal(await bar.getByRole('button', { name: 'Sign out' }).isVisible(), false, 'no bare Sign out button');

  // search from the top bar
  const box = page.getByRole('searchbox', { name: 'Search partyline' });
  await box.fill(word);
  await box.press('Enter');
  await page.waitForURL((u) => u.hash === `#/search/${word}`, T);
  await page.getByRole('article').filter({ hasText: `The ${word} report is out` }).first().waitFor(T);

  // the avatar's menu, by keyboard
  const toggle = page.getByRole('button', { name: 'Your account' });
  await toggle.locator('img.avatar').waitFor(T);
  await toggle.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await menu.waitFor(T);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const focused = () => page.evaluate(() => document.activeElement?.textContent);
  assert.equal(await focused(), 'Profile');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Settings');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Sign out');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Profile', 'Down wraps around');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'Sign out');
  await screenshot(page, 'phonehome-menu-390');
  await assertAccessible(page, 'the avatar menu 390px');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden', ...T });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(await page.evaluate(() => document.activeElement?.id === 'account-toggle'), 'Escape gives focus back to the button');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'Sign out', 'Up opens on the last item');
  await page.mouse.click(200, 400); // a click elsewhere closes it
  await menu.waitFor({ state: 'hidden', ...T });
  await toggle.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.hash === '#/settings', T);
  await menu.waitFor({ state: 'hidden', ...T });
  // Sign out from the menu
  await toggle.click();
  await menu.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor(T);
  assert.equal(await page.locator('#topbar').isVisible(), false, 'no top-bar tools signed out');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the tabs have icons beside their names, and a new notification raises the badge live', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ana);
  const tabs = page.locator('#nav .nav-main > li > :is(a, button)');
  assert.equal(await tabs.count(), 6, 'five tabs and More');
  for (const tab of await tabs.all()) {
    const svg = tab.locator('svg.icon');
    assert.equal(await svg.count(), 1, `an icon in ${await tab.textContent()}`);
    assert.equal(await svg.getAttribute('aria-hidden'), 'true');
    const b = await svg.boundingBox();
    assert.ok(b && b.width >= 20 && b.height >= 20, 'the icon is drawn');
  }
  await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor(T);
  await ben.client.v1.statuses.create({ status: `@${ana.account.acct} can you look at this?` });
  await page.getByRole('link', { name: 'Notifications, 1 unread', exact: true }).waitFor(T);
  assert.equal(await page.locator('#nav a[href="#/notifications"] .badge').textContent(), '1 unread', 'the count shown, "unread" spoken');
  await screenshot(page, 'phonehome-badge-390');
  await assertAccessible(page, 'tabs with a badge 390px');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a count above 99 shows 99+, and the name says so', async () => {
  const page = await newPage(browser, PHONE);
  // the server counts up to max_unread_count (1000): a large count, as it would answer it
  await page.route('**/api/v1/partyline/unread', (route) => route.fulfill({
    contentType: 'application/json', body: JSON.stringify({ notifications: 120, conversations: 4 }),
  }));
  await signIn(page, srv.url, ana);
  await page.getByRole('link', { name: 'Notifications, 99+ unread', exact: true }).waitFor(T);
  await page.getByRole('link', { name: 'Messages, 4 unread', exact: true }).waitFor(T);
  assert.equal(await page.locator('#nav a[href="#/notifications"] .badge').textContent(), '99+ unread');
  await assertAccessible(page, 'tabs with large counts 390px');
  await page.context().close();
});
