// welcome.test.mjs — a new person's first minutes (web/js/views/welcome.js) in chromium: signing
// up lands on the welcome, which explains audiences and suggests channels and colleagues (the
// server's suggestions); joining one and following another there, then going home, shows a
// feed with their posts in it. A person who follows no one is invited from the home feed, and
// "Not now" is remembered. Screenshots at phone and desk sizes; axe-core.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

let srv;
let browser;
let lead;
let channel;
const CH = '/api/v1/partyline/channels';
before(async () => {
  srv = await startServer();
  browser = await launch();
  // a small company: a much-followed colleague who posts, and a channel with members and posts
  lead = await registerUser(srv.url, uniqueName('lead'));
  const others = [];
  for (let i = 0; i < 3; i++) others.push(await registerUser(srv.url, uniqueName('col')));
  for (const o of others) await o.client.v1.accounts.$select(lead.account.id).follow();
  await lead.client.v1.statuses.create({ status: 'Quarterly planning starts Monday, agenda to follow', visibility: 'public' });
  channel = (await raw(srv.url, CH, { method: 'POST', token: lead.token, json: { name: uniqueName('design'), display_name: 'Design', note: 'Design reviews and mock-ups' } })).json;
  for (const o of others) await raw(srv.url, `${CH}/${channel.id}/join`, { method: 'POST', token: o.token });
  await others[0].client.v1.statuses.create({ status: 'New icon set for review in the design channel', channelId: channel.id });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('signing up lands on the welcome; joining and following there fills the home feed', async () => {
  for (const [size, name] of [[PHONE, 'welcome-390'], [DESK, 'welcome-1440']]) {
    const username = uniqueName('new');
    const page = await newPage(browser, size);
    await page.goto(`${srv.url}/#/register`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Work e-mail').fill(`${username}@example.com`);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByLabel(/I agree/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((u) => u.hash === '#/welcome', { timeout: 15_000 });
    await page.getByRole('heading', { name: 'Who sees what you post' }).waitFor();
    const channels = page.getByRole('list', { name: 'Channels to join' });
    const people = page.getByRole('list', { name: 'Colleagues to follow' });
    await channels.getByText('Design', { exact: true }).waitFor();
    await people.getByText(lead.account.display_name || lead.account.username, { exact: true }).waitFor();
    await screenshot(page, name);
    await assertAccessible(page, `welcome ${size.width}px`);

    await channels.getByRole('button', { name: 'Join Design' }).click();
    await channels.getByText('Joined ✓').waitFor();
    await people.getByRole('button', { name: `Follow ${lead.account.display_name || lead.account.username}` }).click();
    await people.getByText('Following ✓').waitFor();
    await page.getByRole('button', { name: 'Go to my home feed' }).click();
    await page.waitForURL((u) => u.hash === '#/home');
    const feed = page.getByRole('list', { name: 'Home feed' });
    await feed.getByText('Quarterly planning starts Monday').waitFor();
    await feed.getByText('New icon set for review').waitFor();
    await page.locator('.welcome-slot').waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('heading', { name: 'Get started' }).count(), 0, 'no invitation once one follows');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('one who follows no one is invited from the home feed; "Not now" is remembered', async () => {
  const loner = await registerUser(srv.url, uniqueName('loner'));
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, loner);
  const card = page.getByRole('region', { name: 'Get started' });
  await card.waitFor();
  await screenshot(page, 'welcome-card-390');
  await assertAccessible(page, 'home with the welcome card 390px');
  await card.getByRole('link', { name: 'Find people and channels' }).click();
  await page.waitForURL((u) => u.hash === '#/welcome');
  await page.getByRole('heading', { name: 'Who sees what you post' }).waitFor();
  await page.goBack();
  await card.getByRole('button', { name: 'Not now' }).click();
  await card.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByRole('list', { name: 'Home feed' }).waitFor({ state: 'attached' });
  await page.locator('.welcome-slot').waitFor({ state: 'detached' }); // decided
  assert.equal(await page.getByRole('region', { name: 'Get started' }).count(), 0, 'not offered again on this device');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
