// homesnapshot.test.mjs — a returning visitor's home feed (web/boot/home-snapshot.js,
// web/js/homesnapshot.js; issue 13 "Measures": a second visit in under 150 ms): the posts of
// the last visit are drawn before the code has arrived, inert and labelled, and the fresh
// first page replaces them; the copy is one account's: signing out deletes it, and another
// person on the same browser never sees it, whoever's token is there.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { launch, newPage, PHONE, signIn, signOut } from './browser.mjs';

const KEY = 'partyline.homeSnapshot';
let srv;
let browser;
let ana;
let ben;
before(async () => {
  srv = await startServer();
  browser = await launch();
  ana = await registerUser(srv.url, uniqueName('ana'));
  ben = await registerUser(srv.url, uniqueName('ben'));
  for (let i = 0; i < 3; i++) await ana.client.v1.statuses.create({ status: `ana's old post ${i}` });
  await ben.client.v1.statuses.create({ status: `ben's own post` });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** Ana signed in with her feed drawn once, so that the copy is saved: her page. */
async function anaAfterOneVisit() {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ana);
  await page.getByRole('list', { name: 'Home feed' }).getByText("ana's old post 2").waitFor();
  await page.waitForFunction((k) => localStorage.getItem(k)?.includes("ana's old post 2"), KEY);
  return page;
}

/** A new tab of `context` on the home feed whose bundle is held until release() is called. */
async function openHeld(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/\/js\/app-[A-Z0-9]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${srv.url}/#/home`, { waitUntil: 'commit' });
  return { page, release };
}

test('a returning visitor sees the last visit\'s posts before the code, inert and labelled, then the fresh ones', async () => {
  const first = await anaAfterOneVisit();
  await ana.client.v1.statuses.create({ status: 'ana posted since' });
  const { page, release } = await openHeld(first.context());
  // the code has not arrived: what is on screen is the copy
  const copy = page.locator('ol[data-snapshot][aria-label="Home feed"]');
  await copy.locator('article').first().waitFor({ timeout: 10_000 });
  assert.equal(await copy.locator('article').count(), 3);
  assert.ok(await page.getByText('Posts from your last visit. Updating…').isVisible());
  assert.equal(await page.locator('.home-snapshot').getAttribute('inert'), '');
  assert.equal(await page.getByText('ana posted since').count(), 0);
  release();
  // the fresh first page takes its place: the new post, no copy left, one feed
  const feed = page.getByRole('list', { name: 'Home feed' });
  await feed.getByText('ana posted since').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('[data-snapshot], .home-snapshot').count(), 0);
  assert.equal(await page.locator('ol[aria-label="Home feed"]').count(), 1);
  assert.equal(await feed.getByRole('article').count(), 4);
  // and the copy is the fresh feed now
  await page.waitForFunction((k) => localStorage.getItem(k)?.includes('ana posted since'), KEY);
  assert.deepEqual(page.problems, []);
  await first.context().close();
});

test('signing out deletes the copy, and the next person to sign in on this browser never sees it', async () => {
  const page = await anaAfterOneVisit();
  await signOut(page);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null);
  // Ben signs in on the same browser: no card of Ana's is ever drawn, from the first moment
  await page.addInitScript(() => {
    window.__sawAna = false;
    new MutationObserver(() => {
      if (document.body?.textContent.includes("ana's old post")) window.__sawAna = true;
    }).observe(document, { childList: true, subtree: true });
  });
  await signIn(page, srv.url, ben);
  await page.getByRole('list', { name: 'Home feed' }).getByText("ben's own post").waitFor();
  await page.reload();
  await page.getByRole('list', { name: 'Home feed' }).getByText("ben's own post").waitFor();
  assert.equal(await page.evaluate(() => window.__sawAna), false);
  await page.context().close();
});

test('a copy saved under another token is deleted, never drawn', async () => {
  const page = await anaAfterOneVisit();
  // another person's token where Ana's was, without this client's sign-out (another tab, an
  // older client): Ana's copy is still stored
  await page.evaluate((t) => localStorage.setItem('partyline.token', t), ben.token);
  assert.ok(await page.evaluate((k) => localStorage.getItem(k) !== null, KEY));
  const { page: tab, release } = await openHeld(page.context());
  await tab.locator('#view').waitFor({ state: 'attached' });
  await tab.waitForTimeout(300); // the boot script after #view has run (the bundle is held)
  assert.equal(await tab.locator('.home-snapshot, [data-snapshot]').count(), 0);
  assert.equal(await tab.evaluate((k) => localStorage.getItem(k), KEY), null);
  release();
  await tab.getByRole('list', { name: 'Home feed' }).getByText("ben's own post").waitFor({ timeout: 15_000 });
  assert.equal(await tab.getByText("ana's old post").count(), 0);
  await page.context().close();
});

test('a copy with a style attribute (which the CSP refuses) is not drawn, and the page stays clean', async () => {
  const page = await anaAfterOneVisit();
  await page.evaluate((k) => {
    const snap = JSON.parse(localStorage.getItem(k));
    snap.html = snap.html.replace('<article', '<article style="color: red"');
    localStorage.setItem(k, JSON.stringify(snap));
  }, KEY);
  const { page: tab, release } = await openHeld(page.context());
  await tab.locator('#view').waitFor({ state: 'attached' });
  await tab.waitForTimeout(300);
  assert.equal(await tab.locator('.home-snapshot').count(), 0);
  release();
  await tab.getByRole('list', { name: 'Home feed' }).getByText("ana's old post 2").waitFor({ timeout: 15_000 });
  assert.deepEqual(tab.problems, []);
  await page.context().close();
});
