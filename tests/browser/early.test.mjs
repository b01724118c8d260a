// early.test.mjs — the home feed's first requests leave with the page, not after the code
// (web/boot/early-home.js inlined into index.html by scripts/build-web.mjs, handed over by
// web/js/early.js; issue 13 item 4): with the bundle held back, the requests to
// /api/v1/timelines/home and the account have already started; each is made once, and the
// answers are the feed and the reader the page knows.

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
  for (let i = 0; i < 3; i++) await reader.client.v1.statuses.create({ status: `early post ${i}` });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** A signed-in page whose bundle arrives `holdMs` late; returns it and the requests it made, in order. */
async function openHeldBack(hash, holdMs = 1500) {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, reader);
  const context = await browser.newContext({ viewport: PHONE, storageState: await page.context().storageState() });
  await page.context().close();
  const fresh = await context.newPage();
  const log = [];
  fresh.on('request', (r) => log.push({ what: 'start', path: new URL(r.url()).pathname, url: r.url() }));
  await fresh.route(/\/js\/app-[A-Z0-9]+\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, holdMs));
    log.push({ what: 'bundle released' });
    await route.continue();
  });
  await fresh.goto(`${srv.url}/${hash}`);
  return { fresh, log, context };
}

test('the home request starts before the bundle has arrived, once, and fills the feed', async () => {
  const { fresh, log, context } = await openHeldBack('#/home');
  const feed = fresh.getByRole('list', { name: 'Home feed' });
  await feed.getByText('early post 2').waitFor({ timeout: 15_000 });
  const homeAt = log.findIndex((e) => e.path === '/api/v1/timelines/home');
  const releasedAt = log.findIndex((e) => e.what === 'bundle released');
  assert.ok(homeAt >= 0 && releasedAt >= 0, JSON.stringify(log));
  assert.ok(homeAt < releasedAt, `the home request waited for the code: ${JSON.stringify(log)}`);
  // (a page of three posts then asks for older ones, with max_id: another request)
  const firstPage = log.filter((e) => e.path === '/api/v1/timelines/home' && !new URL(e.url).searchParams.has('max_id'));
  assert.equal(firstPage.length, 1, `asked once: ${JSON.stringify(log)}`);
  assert.equal(await feed.getByRole('article').count(), 3);
  // the person's account (the top bar's avatar, one's own posts' Edit and Delete) left with it
  // too, once, and is the one the page shows: the cards are the reader's own
  const accountAt = log.findIndex((e) => e.path === '/api/v1/accounts/verify_credentials');
  assert.ok(accountAt >= 0 && accountAt < releasedAt, `the account waited for the code: ${JSON.stringify(log)}`);
  assert.equal(log.filter((e) => e.path === '/api/v1/accounts/verify_credentials').length, 1, JSON.stringify(log));
  await feed.getByRole('article').first().getByRole('button', { name: 'Delete' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(fresh.problems ?? [], []);
  await context.close();
});

test('another page starts no early home request', async () => {
  const { fresh, log, context } = await openHeldBack('#/profile');
  await fresh.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 15_000 });
  const releasedAt = log.findIndex((e) => e.what === 'bundle released');
  assert.ok(releasedAt >= 0);
  assert.equal(log.slice(0, releasedAt).filter((e) => e.path.startsWith('/api/')).length, 0, JSON.stringify(log));
  await context.close();
});
