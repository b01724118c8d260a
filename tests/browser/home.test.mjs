// home.test.mjs — the web client end to end in Debian's chromium against a real server:
// sign in through the real sign-in page (OAuth code + PKCE), post, see it at the top of
// the home feed, a follower sees it after reload, older posts load on scroll, sign out
// revokes the token. Screenshots at phone and desk sizes; axe-core finds nothing serious.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, openComposer, PHONE, screenshot, signIn, signInThroughPage, signOut } from './browser.mjs';

let srv;
let browser;
let alice;
let bob;
before(async () => {
  srv = await startServer();
  browser = await launch();
  alice = await registerUser(srv.url, uniqueName('alice'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  await bob.client.v1.accounts.$select(alice.account.id).follow();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the signed-out front page offers sign-in and passes the accessibility check', async () => {
  for (const [size, name] of [[PHONE, 'signin-390'], [DESK, 'signin-1440']]) {
    const page = await newPage(browser, size);
    await page.goto(srv.url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, name);
    await assertAccessible(page, `sign-in page ${size.width}px`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('sign in, post, and the post is at the top of the feed; a follower sees it after reload', async () => {
  const a = await newPage(browser, PHONE);
  const b = await newPage(browser, DESK);
  // the real sign-in: the client's button, the server's page, the redirect back with the code
  await signInThroughPage(a, srv.url, alice);
  await signInThroughPage(b, srv.url, bob);
  // the composer opens from "Share something…" (opener.js), full screen on a phone
  await openComposer(a);
  // the character count is the server's limit (configuration.statuses.max_characters: 5000)
  await a.waitForFunction(() => document.querySelector('.compose .count')?.textContent === '5000');
  const text = `Hello from the browser ${uniqueName('p')}`;
  await a.getByLabel('What would you like to share?').fill(text);
  await a.getByRole('button', { name: 'Post', exact: true }).click();
  const first = a.getByRole('list', { name: 'Home feed' }).getByRole('article').first();
  await first.getByText(text).waitFor();
  assert.equal(await a.getByLabel('What would you like to share?').inputValue(), '', 'compose is cleared');
  assert.equal(await a.getByText('Nothing here yet').count(), 0, 'the empty-feed note goes once a post is there');
  await screenshot(a, 'home-390');
  await assertAccessible(a, 'home feed 390px');

  await b.reload();
  await b.getByRole('list', { name: 'Home feed' }).getByRole('article').first().getByText(text).waitFor();
  await screenshot(b, 'home-1440');
  await assertAccessible(b, 'home feed 1440px');
  assert.deepEqual(a.problems, [], 'no console errors or CSP violations');
  assert.deepEqual(b.problems, []);
  await a.context().close();
  await b.context().close();
});

test('older posts load as the feed is scrolled, newest first, without duplicates', async () => {
  for (let i = 0; i < 45; i++) await alice.client.v1.statuses.create({ status: `scroll post ${i}` });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  const articles = page.getByRole('list', { name: 'Home feed' }).getByRole('article');
  await articles.first().getByText('scroll post 44').waitFor();
  const deadline = Date.now() + 15_000;
  while (!(await page.getByText('scroll post 0', { exact: true }).count()) && Date.now() < deadline) {
    await page.keyboard.press('End');
    await page.waitForTimeout(200);
  }
  const ids = await articles.evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.ok(ids.length >= 45, `all posts loaded (${ids.length})`);
  assert.equal(new Set(ids).size, ids.length, 'no post twice');
  const sorted = [...ids].sort((x, y) => (BigInt(y) > BigInt(x) ? 1 : -1));
  assert.deepEqual(ids, sorted, 'newest first');
  await page.context().close();
});

test('sign out revokes the token at the server and returns to the sign-in page', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  const token = await page.evaluate(() => localStorage.getItem('partyline.token'));
  assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token })).status, 200);
  await signOut(page);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  const deadline = Date.now() + 5000;
  let status;
  do {
    status = (await raw(srv.url, '/api/v1/accounts/verify_credentials', { token })).status;
  } while (status === 200 && Date.now() < deadline);
  assert.equal(status, 401, 'the revoked token no longer works');
  await page.context().close();
});
