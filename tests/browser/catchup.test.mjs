// catchup.test.mjs — the catch-up page in chromium against a real server: after others mention
// you, reply to you and up-vote a post in your feed, the page lists each with its reason in
// words; someone with nothing new is told they are all caught up. Screenshots; axe-core.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
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

test('mentions, replies and an up-voted post are listed with their reasons', async () => {
  const me = await registerUser(srv.url, uniqueName('viewer'));
  const ali = await registerUser(srv.url, uniqueName('ali'));
  const bo = await registerUser(srv.url, uniqueName('bo'));
  const fr = await registerUser(srv.url, uniqueName('fr'));
  const fa = await registerUser(srv.url, uniqueName('fa'));
  await me.client.v1.accounts.$select(fr.account.id).follow();
  const mine = await me.client.v1.statuses.create({ status: 'Lunch plans for Friday?' });
  await ali.client.v1.statuses.create({ status: `@${me.username} the quarterly numbers are in` });
  await bo.client.v1.statuses.create({ status: `@${me.username} tacos, obviously`, inReplyToId: mine.id });
  const popular = await fr.client.v1.statuses.create({ status: 'The new office opens Monday' });
  await fa.client.v1.statuses.$select(popular.id).favourite();

  for (const [size, name] of [[PHONE, 'catchup-390'], [DESK, 'catchup-1440']]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, me);
    await page.goto(`${srv.url}/#/catchup`);
    const list = page.getByRole('list', { name: 'Catch-up' });
    await list.getByText(`@${ali.username} mentioned you`).waitFor({ timeout: 15_000 });
    await list.getByText(`@${bo.username} replied to you`).waitFor();
    await list.getByText(/1 up-vote/).waitFor();
    const popularItem = list.getByRole('listitem').filter({ hasText: 'The new office opens Monday' });
    await popularItem.getByText('Popular').waitFor();
    await page.getByText(/things that matter most/).waitFor();
    await screenshot(page, name);
    await assertAccessible(page, `catch-up ${size.width}px`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('"I\'m caught up" starts the next catch-up from now', async () => {
  const me = await registerUser(srv.url, uniqueName('reader'));
  const ali = await registerUser(srv.url, uniqueName('ali'));
  await ali.client.v1.statuses.create({ status: `@${me.username} did you see the memo?` });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, me);
  await page.goto(`${srv.url}/#/catchup`);
  await page.getByText(`@${ali.username} mentioned you`).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'I\'m caught up' }).click();
  await page.getByText(/You are all caught up: nothing new since/).waitFor({ timeout: 15_000 });
  // the server keeps it: the home marker is set, so the catch-up starts from it
  const markers = await me.client.v1.markers.fetch({ timeline: ['home'] });
  assert.ok(markers.home?.lastReadId, 'the home marker is saved');
  await page.reload();
  await page.getByText(/You are all caught up/).waitFor({ timeout: 15_000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('with nothing new, the page says you are all caught up', async () => {
  const quiet = await registerUser(srv.url, uniqueName('quiet'));
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, quiet);
  await page.goto(`${srv.url}/#/catchup`);
  await page.getByText(/You are all caught up/).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByRole('list', { name: 'Catch-up' }).getByRole('listitem').count(), 0);
  // choosing another range asks again and still finds nothing
  await page.getByLabel('Catch up on').selectOption({ label: 'The last 7 days' });
  await page.getByText(/You are all caught up/).waitFor({ timeout: 15_000 });
  await screenshot(page, 'catchup-empty-390');
  await assertAccessible(page, 'empty catch-up');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('one item reads "Here is the one thing that matters most"', async () => {
  const me = await registerUser(srv.url, uniqueName('single'));
  const ali = await registerUser(srv.url, uniqueName('ali'));
  await ali.client.v1.statuses.create({ status: `@${me.username} one thing only` });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, me);
  await page.goto(`${srv.url}/#/catchup`);
  await page.getByText(`@${ali.username} mentioned you`).waitFor({ timeout: 15_000 });
  await page.getByText(/Here is the one thing that matters most, about 1 minute of reading\./).waitFor();
  assert.match(await page.locator('.intro').textContent(), /: 1 mention\. Here is/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
