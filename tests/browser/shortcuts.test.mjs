// shortcuts.test.mjs — the keyboard shortcuts (web/js/shortcuts.js) in Debian's chromium: j/k
// move the focus between posts, f and b like and boost the focused one (the server's answer
// shows), r opens its reply form, Enter opens it, n and / reach the composer and the search
// box from any screen, g-chords move between screens, ? lists them (axe-clean, screenshots),
// and a letter typed into a field stays in the field.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

let srv;
let browser;
let reader;
const texts = [];
before(async () => {
  srv = await startServer();
  browser = await launch();
  reader = await registerUser(srv.url, uniqueName('kbd'));
  const writer = await registerUser(srv.url, uniqueName('kbw'));
  await reader.client.v1.accounts.$select(writer.account.id).follow();
  for (let i = 0; i < 3; i++) {
    const text = `keyboard post ${i} ${uniqueName('t')}`;
    texts.push(text);
    await writer.client.v1.statuses.create({ status: text, visibility: 'public' });
  }
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** The text of the post that has the focus, or null. */
const focusedPost = (page) => page.evaluate(() => document.activeElement?.closest('article.status')?.querySelector('.content')?.textContent ?? null);

test('j and k move between posts; f likes, b boosts, r replies to the focused one; Enter opens it', async () => {
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, reader);
  const feed = page.getByRole('list', { name: 'Home feed' });
  await feed.getByText(texts[0]).waitFor();
  await page.locator('body').click({ position: { x: 5, y: 5 } }); // nothing focused in a field
  await page.keyboard.press('j');
  assert.match(await focusedPost(page), new RegExp(texts[2]), 'j starts at the first (newest) post');
  await page.keyboard.press('j');
  assert.match(await focusedPost(page), new RegExp(texts[1]));
  await page.keyboard.press('k');
  assert.match(await focusedPost(page), new RegExp(texts[2]), 'k goes back');
  await page.keyboard.press('j');

  const card = feed.getByRole('article').filter({ hasText: texts[1] });
  await page.keyboard.press('f');
  await card.getByRole('button', { name: /Like/ }).and(page.locator('[aria-pressed="true"]')).waitFor();
  await page.keyboard.press('b');
  await card.getByRole('button', { name: /Boost/ }).and(page.locator('[aria-pressed="true"]')).waitFor();
  // the server agrees: the post is liked and boosted by the reader
  const [liked] = await reader.client.v1.favourites.list();
  assert.match(liked.content, new RegExp(texts[1]));

  await page.evaluate(() => document.activeElement.closest('article.status').focus());
  await page.keyboard.press('r');
  const reply = card.getByRole('textbox');
  await reply.waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
  // a letter typed in a field is the field's, not a shortcut; Escape leaves the field
  await page.keyboard.type(' jk');
  assert.match(await reply.inputValue(), / jk$/, 'typed into the reply');
  await page.keyboard.press('Escape');
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');

  await card.getByRole('article').or(card).first().evaluate((a) => a.focus());
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/status/'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('n, / and g-chords reach the composer, search and other screens; ? lists every shortcut', async () => {
  for (const [size, name] of [[PHONE, 'shortcuts-390'], [DESK, 'shortcuts-1440']]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, reader);
    await page.getByRole('list', { name: 'Home feed' }).getByText(texts[0]).waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('g');
    await page.keyboard.press('n');
    await page.waitForFunction(() => location.hash === '#/notifications');
    await page.keyboard.press('n');
    await page.waitForFunction(() => location.hash === '#/home' && document.activeElement?.matches('.compose textarea'));
    await page.keyboard.press('Escape');
    // the phone's composer is a dialog, whose Escape Chromium carries out a moment later: one
    // presses / once it has closed (before, / is typed into the post, as it should be)
    await page.waitForFunction(() => !document.activeElement?.matches('.compose textarea'));
    await page.keyboard.press('/');
    await page.waitForFunction(() => location.hash === '#/search' && document.activeElement?.type === 'search');
    await page.keyboard.type('keyboard');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'keyboard', 'typed into the search box');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    for (const what of ['Next post', 'Like the post', 'Boost the post', 'Write a new post', 'Search', 'Show this list']) {
      await dialog.getByText(what, { exact: true }).waitFor();
    }
    await screenshot(page, name);
    await assertAccessible(page, `shortcuts list ${size.width}px`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
