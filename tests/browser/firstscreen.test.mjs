// firstscreen.test.mjs — the home feed's first screen runs only its own code
// (scripts/build-web.mjs: the app bundle with the home view and what it imports; every other
// view in a second bundle; issue 13 item 4, unthrottled first post < 400 ms): the other
// views' bundle is not asked for before the first post, is preloaded once the page is idle,
// and every other screen works, opened from the home feed or directly.

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
  const scripts = [];
  page.on('request', (r) => { if (/\/js\/.*\.js$/.test(r.url())) scripts.push({ path: new URL(r.url()).pathname, at: Date.now() }); });
  await page.goto(`${srv.url}/#/home`);
  const feed = page.getByRole('list', { name: 'Home feed' });
  await feed.getByText('first screen post').waitFor({ timeout: 15_000 });
  const firstPostAt = Date.now();
  const html = await (await fetch(`${srv.url}/`)).text();
  const views = html.match(/<meta name="partyline-views" content="(\/js\/views-[A-Z0-9]{8}\.js)">/)?.[1];
  assert.ok(views, 'the page names the other views\' bundle');
  const before = scripts.filter((s) => s.at <= firstPostAt).map((s) => s.path);
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
