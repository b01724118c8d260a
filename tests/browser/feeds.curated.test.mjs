// feeds.curated.test.mjs — curated feeds in the browser against a real server: create feeds,
// give one a person, a channel, a hashtag and a keyword (and see the server refuse a person
// one does not follow, said plainly), check the server has them, reorder the feeds with the
// keyboard and see the order survive a reload and show through GET /api/v1/lists, delete a
// feed. Screenshots and axe for the feeds list and a feed's sources.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { binaryPath, raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };
let srv;
let browser;
let alice;
let bob;
let carol;
let channel;

before(async () => {
  srv = await startServer();
  browser = await launch();
  alice = await registerUser(srv.url, uniqueName('alice'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  carol = await registerUser(srv.url, uniqueName('carol'));
  await alice.client.v1.accounts.$select(bob.account.id).follow();
  const r = await raw(srv.url, '/api/v1/partyline/channels', {
    method: 'POST', token: bob.token, json: { name: uniqueName('cycling'), display_name: 'Cycling club' },
  });
  assert.equal(r.status, 200, r.text);
  channel = r.json;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function page(size, hash) {
  const p = await newPage(browser, size);
  await signIn(p, srv.url, alice);
  await p.goto(`${srv.url}/${hash}`);
  return p;
}

const feedTitles = (p) => p.getByRole('list', { name: 'Your feeds' }).getByRole('listitem')
  .evaluateAll((els) => els.map((e) => e.querySelector('.feed-title').textContent));

async function createFeed(p, title) {
  const details = p.locator('details.create-feed');
  if (!(await details.evaluate((d) => d.open))) await p.getByText('Create a feed', { exact: true }).click();
  await p.getByLabel('Title').fill(title);
  await p.getByRole('button', { name: 'Create feed' }).click();
  await p.getByRole('list', { name: 'Your feeds' }).getByRole('link', { name: title, exact: true }).waitFor(WAIT);
}

test('create feeds, give one a person, a channel, a hashtag and a keyword; the server has them', async () => {
  const p = await page(PHONE, '#/feeds');
  await p.getByText('No feeds yet').waitFor(WAIT);
  await createFeed(p, 'Work');
  await createFeed(p, 'Friends');
  assert.deepEqual(await feedTitles(p), ['Work', 'Friends']);
  assert.equal(await p.getByRole('link', { name: 'Work', exact: true }).getAttribute('href'),
    `#/list/${(await alice.client.v1.lists.list()).find((l) => l.title === 'Work').id}`, 'each feed links to its reading view');
  await screenshot(p, 'feeds-390');
  await assertAccessible(p, 'feeds 390px');

  await p.getByRole('link', { name: 'Sources and settings of Work' }).click();
  await p.getByRole('heading', { name: 'Work', level: 1 }).waitFor(WAIT);

  // a person one follows is added; one not followed is refused, and the reason is shown
  await p.getByLabel('Find a person').fill(bob.account.username);
  await p.getByRole('button', { name: 'Search', exact: true }).click();
  const bobName = bob.account.display_name || bob.account.username;
  await p.getByRole('button', { name: `Add ${bobName} to this feed` }).click();
  await p.getByRole('list', { name: 'People in this feed' }).getByText(`@${bob.account.acct}`).waitFor(WAIT);
  await p.getByLabel('Find a person').fill(carol.account.username);
  await p.getByRole('button', { name: 'Search', exact: true }).click();
  const carolName = carol.account.display_name || carol.account.username;
  await p.getByRole('button', { name: `Add ${carolName} to this feed` }).click();
  await p.getByRole('alert').filter({ hasText: `you must follow @${carol.account.username}` }).waitFor(WAIT);
  assert.equal(await p.getByLabel('Find a person').inputValue(), carol.account.username, 'the search stays');

  await p.getByLabel('Channel', { exact: true }).selectOption({ label: 'Cycling club' });
  await p.getByRole('form', { name: 'Add a channel' }).getByRole('button', { name: 'Add' }).click();
  await p.getByRole('list', { name: 'Channels in this feed' }).getByText('Cycling club').waitFor(WAIT);
  await p.getByLabel('Hashtag', { exact: true }).fill('#Cycling');
  await p.getByRole('form', { name: 'Add a hashtag' }).getByRole('button', { name: 'Add' }).click();
  await p.getByRole('list', { name: 'Hashtags in this feed' }).getByText('#cycling').waitFor(WAIT);
  await p.getByLabel('Keyword or phrase').fill('chain grease');
  await p.getByRole('form', { name: 'Add a keyword' }).getByRole('button', { name: 'Add' }).click();
  await p.getByRole('list', { name: 'Keywords in this feed' }).getByText('chain grease').waitFor(WAIT);
  await screenshot(p, 'feed-sources-390');
  await assertAccessible(p, 'feed sources 390px');

  const work = (await alice.client.v1.lists.list()).find((l) => l.title === 'Work');
  const people = await alice.client.v1.lists.$select(work.id).accounts.list();
  assert.deepEqual(people.map((a) => a.id), [bob.account.id], 'the server has the person (and not carol)');
  const src = await raw(srv.url, `/api/v1/partyline/lists/${work.id}/sources`, { token: alice.token });
  assert.deepEqual(src.json.channels.map((c) => c.id), [channel.id]);
  assert.deepEqual(src.json.tags, ['cycling']);
  assert.deepEqual(src.json.keywords, ['chain grease']);

  // removing a source removes it at the server too
  await p.getByRole('button', { name: 'Remove keyword chain grease' }).click();
  await p.getByRole('list', { name: 'Keywords in this feed' }).getByText('chain grease').waitFor({ state: 'detached', ...WAIT });
  const after1 = await raw(srv.url, `/api/v1/partyline/lists/${work.id}/sources`, { token: alice.token });
  assert.deepEqual(after1.json.keywords, []);
  // chromium logs every 4xx answer as a console error: the one refusal above was wanted
  const refused = p.problems.filter((m) => /status of 422/.test(m));
  assert.equal(refused.length, 1, 'the refusal to add carol');
  assert.deepEqual(p.problems.filter((m) => !refused.includes(m)), []);
  await p.context().close();

  const d = await page(DESK, `#/feeds/${work.id}`);
  await d.getByRole('list', { name: 'People in this feed' }).getByText(`@${bob.account.acct}`).waitFor(WAIT);
  await d.getByRole('list', { name: 'Hashtags in this feed' }).getByText('#cycling').waitFor(WAIT);
  await screenshot(d, 'feed-sources-1440');
  await assertAccessible(d, 'feed sources 1440px');
  assert.deepEqual(d.problems, []);
  await d.context().close();
});

test('reorder feeds with the keyboard; the order survives a reload and is the server\'s', async () => {
  const p = await page(DESK, '#/feeds');
  await p.getByRole('link', { name: 'Friends', exact: true }).waitFor(WAIT);
  assert.deepEqual(await feedTitles(p), ['Work', 'Friends']);
  await p.getByRole('button', { name: 'Move Friends up' }).focus();
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => document.querySelector('[aria-label="Your feeds"] .feed-title')?.textContent === 'Friends', null, WAIT);
  // focus stays with the moved feed, so moving it on is one more key press
  assert.match(await p.evaluate(() => document.activeElement.getAttribute('aria-label')), /^Move Friends (up|down)$/);
  const deadline = Date.now() + 15_000;
  let titles;
  do {
    titles = (await alice.client.v1.lists.list()).map((l) => l.title);
  } while (titles[0] !== 'Friends' && Date.now() < deadline);
  assert.deepEqual(titles, ['Friends', 'Work'], 'GET /api/v1/lists answers in the new order');
  await p.reload();
  await p.getByRole('link', { name: 'Work', exact: true }).waitFor(WAIT);
  assert.deepEqual(await feedTitles(p), ['Friends', 'Work'], 'the order survives a reload');
  await screenshot(p, 'feeds-1440');
  await assertAccessible(p, 'feeds 1440px');
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test('rename and delete a feed (after confirming)', async () => {
  const work = (await alice.client.v1.lists.list()).find((l) => l.title === 'Work');
  const p = await page(PHONE, `#/feeds/${work.id}`);
  await p.getByRole('heading', { name: 'Work', level: 1 }).waitFor(WAIT);
  await p.getByRole('form', { name: 'Feed settings' }).getByLabel('Title').fill('Work stuff');
  await p.getByRole('button', { name: 'Save', exact: true }).click();
  await p.getByRole('heading', { name: 'Work stuff', level: 1 }).waitFor(WAIT);
  assert.equal((await alice.client.v1.lists.$select(work.id).fetch()).title, 'Work stuff');
  // the inline question: Escape keeps the feed and gives focus back to the button
  await p.getByRole('button', { name: 'Delete this feed' }).click();
  const ask = p.getByRole('group', { name: 'Delete the feed "Work stuff"?' });
  await ask.waitFor(WAIT);
  await p.keyboard.press('Escape');
  await ask.waitFor({ state: 'detached', ...WAIT });
  assert.equal(await p.evaluate(() => document.activeElement?.textContent), 'Delete this feed', 'focus returned');
  assert.equal((await alice.client.v1.lists.list()).length, 2, 'nothing deleted on Escape');
  await p.getByRole('button', { name: 'Delete this feed' }).click();
  await ask.getByRole('button', { name: 'Delete feed' }).click();
  await p.getByRole('heading', { name: 'Curated feeds' }).waitFor(WAIT);
  await p.getByRole('link', { name: 'Friends', exact: true }).waitFor(WAIT);
  assert.equal(await p.getByRole('link', { name: 'Work stuff', exact: true }).count(), 0);
  assert.deepEqual((await alice.client.v1.lists.list()).map((l) => l.title), ['Friends'], 'the server deleted it');
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test("an administrator's feed offers a private channel they moderate without having joined it", async () => {
  const r = await raw(srv.url, '/api/v1/partyline/channels', {
    method: 'POST', token: bob.token, json: { name: uniqueName('board'), display_name: 'Board room', private: true },
  });
  assert.equal(r.status, 200, r.text);
  const name = uniqueName('boss');
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_'))), ...srv.cliEnv };
  await promisify(execFile)(binaryPath(), ['admin', 'create-user', '--data', srv.dataDir, '--username', name,
    '--email', `${name}@example.com`, '--password', 'long enough pw', '--admin'], { env });
  const p = await newPage(browser, DESK);
  await signIn(p, srv.url, { email: `${name}@example.com`, password: 'long enough pw' });
  await p.goto(`${srv.url}/#/feeds`);
  await createFeed(p, 'Oversight');
  await p.getByRole('link', { name: 'Sources and settings of Oversight' }).click();
  await p.getByLabel('Channel', { exact: true }).locator('option', { hasText: 'Board room (private)' }).waitFor({ state: 'attached', ...WAIT });
  await p.getByLabel('Channel', { exact: true }).selectOption({ label: 'Board room (private)' });
  await p.getByRole('form', { name: 'Add a channel' }).getByRole('button', { name: 'Add' }).click();
  await p.getByRole('list', { name: 'Channels in this feed' }).getByText('Board room').waitFor(WAIT);
  assert.deepEqual(p.problems, []);
  await p.context().close();
});
