// firstscreen.test.mjs — the home feed's first screen runs only its own code
// (scripts/build-web.mjs: the app bundle with the home view and what it imports; every other
// view in a second bundle; issue 13 item 4, unthrottled first post < 400 ms): the other
// views' bundle is not asked for before the first post, is preloaded once the page is idle,
// and every other screen works, opened from the home feed or directly; and the first page
// of posts is drawn in two steps, the cards a screen shows first (timeline.js).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { launch, newPage, PHONE, signIn } from './browser.mjs';

let srv;
let browser;
let reader;
before(async () => {
  srv = await startServer();
  browser = await launch();
  reader = await registerUser(srv.url, uniqueName('reader'));
  for (let i = 0; i < 24; i++) await reader.client.v1.statuses.create({ status: `older post ${i}` });
  await reader.client.v1.statuses.create({ status: 'first screen post' });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signedInContext() {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, reader);
  const state = await page.context().storageState();
  await page.context().close();
  return browser.newContext({ viewport: PHONE, storageState: state });
}

test('the home feed loads its own bundle and chunks only; the other views come after, preloaded', async () => {
  const context = await signedInContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    window.__firstAt = null;
    new MutationObserver(() => {
      if (window.__firstAt === null && document.querySelector('ol[aria-label="Home feed"] article')) window.__firstAt = performance.now();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${srv.url}/#/home`);
  const feed = page.getByRole('list', { name: 'Home feed' });
  await feed.getByText('first screen post').waitFor({ timeout: 15_000 });
  const html = await (await fetch(`${srv.url}/`)).text();
  const views = html.match(/<meta name="partyline-views" content="(\/js\/views-[A-Z0-9]{8}\.js)">/)?.[1];
  assert.ok(views, 'the page names the other views\' bundle');
  // the scripts asked for before the first post was on screen (the page's own clock)
  const before = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.startTime <= window.__firstAt && /\/js\/.*\.js$/.test(e.name)).map((e) => new URL(e.name).pathname));
  assert.ok(before.some((p) => /^\/js\/app-[A-Z0-9]{8}\.js$/.test(p)), JSON.stringify(before));
  assert.ok(!before.includes(views), `the other views' code came before the first post: ${JSON.stringify(before)}`);
  // every module the first screen needs was preloaded by the page: no wave of imports
  for (const p of before.filter((x) => x.startsWith('/js/chunk-'))) {
    assert.ok(html.includes(`<link rel="modulepreload" href="${p}">`), `${p} not preloaded`);
  }
  // then, the page idle, the other views' bundle is fetched, and another screen opens
  await page.waitForFunction((v) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(v)), views, { timeout: 15_000 });
  await page.evaluate(() => { location.hash = '#/notifications'; });
  await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor({ timeout: 15_000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('another screen opened directly works: its code comes from the other bundle', async () => {
  const context = await signedInContext();
  const page = await context.newPage();
  await page.goto(`${srv.url}/#/bookmarks`);
  await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 15_000 });
  assert.notEqual(await page.title(), 'Something went wrong · partyline');
  assert.notEqual(await page.title(), 'Not found · partyline');
  await context.close();
});

test('the first page draws the cards a screen shows first, then the rest', async () => {
  const context = await signedInContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__firstCount = null;
    new MutationObserver(() => {
      const n = document.querySelectorAll('ol[aria-label="Home feed"]:not([data-snapshot]) article').length;
      if (n && window.__firstCount === null) window.__firstCount = n;
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${srv.url}/#/home`);
  const feed = page.getByRole('list', { name: 'Home feed' });
  await feed.getByText('older post 5', { exact: true }).waitFor({ timeout: 15_000 });
  const firstCount = await page.evaluate(() => window.__firstCount);
  assert.ok(firstCount >= 1 && firstCount <= 6, `the first step drew ${firstCount} cards`);
  // then the whole page of 20, in order, newest first
  await page.waitForFunction(() => document.querySelectorAll('ol[aria-label="Home feed"] article').length >= 20);
  const texts = await feed.getByRole('article').allTextContents();
  assert.match(texts[0], /first screen post/);
  assert.match(texts[6], /older post 18/);
  await context.close();
});
