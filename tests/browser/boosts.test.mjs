// boosts.test.mjs — a post boosted by several people one follows shows once in the home feed
// (web/js/timeline.js): "Dan and 2 others boosted" on the newest boost's card, on the first
// load and when the boosts arrive live behind the "new posts" bar; deleting the post removes
// the one card.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const T = { timeout: 15_000 };
let srv;
let browser;
let reader;
let author;
let boosters;
before(async () => {
  srv = await startServer();
  browser = await launch();
  reader = await registerUser(srv.url, uniqueName('rd'));
  author = await registerUser(srv.url, uniqueName('au'));
  boosters = [];
  for (const name of ['Bea', 'Cal', 'Dan']) {
    const b = await registerUser(srv.url, uniqueName(name.toLowerCase()));
    await b.client.v1.accounts.updateCredentials({ displayName: name });
    await reader.client.v1.accounts.$select(b.account.id).follow();
    boosters.push(b);
  }
  await reader.client.v1.accounts.$select(author.account.id).follow();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const cardsOf = (page, text) => page.getByRole('list', { name: 'Home feed' }).getByRole('article').filter({ hasText: text });

test('a post three people boosted is one card: "Dan and 2 others boosted"', async () => {
  const text = `Roadmap for next quarter ${uniqueName('r')}`;
  const post = await author.client.v1.statuses.create({ status: text, visibility: 'public' });
  for (const b of boosters) await b.client.v1.statuses.$select(post.id).reblog();
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, reader);
  await cardsOf(page, text).first().waitFor(T);
  assert.equal(await cardsOf(page, text).count(), 1, 'shown once, not four times');
  await cardsOf(page, text).getByText('Dan and 2 others boosted').waitFor(T);
  await screenshot(page, 'boosts-collapsed-1440');
  // deleting the post takes its one card away
  await author.client.v1.statuses.$select(post.id).remove();
  await cardsOf(page, text).waitFor({ state: 'detached', ...T });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('boosts arriving live join the card already shown', async () => {
  const text = `Office party on Thursday ${uniqueName('p')}`;
  const post = await author.client.v1.statuses.create({ status: text, visibility: 'public' });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, reader);
  await cardsOf(page, text).first().waitFor(T);
  await boosters[0].client.v1.statuses.$select(post.id).reblog();
  await boosters[1].client.v1.statuses.$select(post.id).reblog();
  const bar = page.getByRole('button', { name: /new posts?$/ });
  await bar.waitFor(T);
  await page.waitForFunction(() => /^2 new posts$/.test(document.querySelector('.new-posts-button')?.textContent ?? ''), null, T);
  await bar.click();
  await cardsOf(page, text).getByText('Cal and Bea boosted').waitFor(T);
  assert.equal(await cardsOf(page, text).count(), 1, 'the post itself and both boosts: one card');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
