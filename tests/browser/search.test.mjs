// search.test.mjs — the search screen in chromium against a real server: a word and a phrase
// find posts, the "From" filter writes from: into the query and limits the posts to one
// author, people link to their profile and hashtags to their page, the query lives in the
// address (reload keeps the results), no results says so with hints, and a broken route shows
// the friendly not-found page. Screenshots at phone and desk sizes with results; axe-core.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { build, parse } from '../../web/js/searchquery.js';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

let srv;
let browser;
let alice;
let bob;
// words no other post has, so the results are exactly what this file posted
const w = (n) => `zq${uniqueName('w').replace(/[^a-z]/g, '')}${n}`;
const word = w('kiwi');
const tag = w('tag');

before(async () => {
  srv = await startServer();
  browser = await launch();
  alice = await registerUser(srv.url, uniqueName('alice'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  await alice.client.v1.statuses.create({ status: `Alice says ${word} budget review is done #${tag}` });
  await alice.client.v1.statuses.create({ status: `Alice on review of the budget ${word}` });
  await bob.client.v1.statuses.create({ status: `Bob also likes ${word}` });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const posts = (page) => page.getByRole('list', { name: 'Posts found' }).getByRole('article');

async function search(page, text) {
  await page.getByLabel('Search people, posts and hashtags').fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

test('a word finds every post with it; a phrase only the posts with the words together', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await page.goto(`${srv.url}/#/search`);
  await search(page, word);
  await page.getByText(`Found 3 posts for “${word}”.`).waitFor({ timeout: 15_000 });
  assert.equal(await posts(page).count(), 3);
  assert.match(page.url(), new RegExp(`#/search/${word}$`), 'the query is in the address');
  await screenshot(page, 'search-390');
  await assertAccessible(page, 'search results 390px');

  // from the keyboard: Enter in the box searches
  await page.getByLabel('Search people, posts and hashtags').fill(`"budget review" ${word}`);
  await page.getByLabel('Search people, posts and hashtags').press('Enter');
  await page.getByText(/Found 1 post for/).waitFor({ timeout: 15_000 });
  assert.equal(await posts(page).count(), 1);
  await posts(page).first().getByText('budget review is done').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the From filter writes from: into the query and keeps one author; reload keeps the results', async () => {
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, alice);
  await page.goto(`${srv.url}/#/search`);
  await page.getByLabel('Search people, posts and hashtags').fill(word);
  await page.locator('#view').getByText('Filters', { exact: true }).click();
  await page.getByLabel('From (username)').fill(bob.username);
  // the query the filters make is shown, so people learn to type it
  await page.locator('.preview code').getByText(`${word} from:${bob.username}`).waitFor();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText(/Found 1 post for/).waitFor({ timeout: 15_000 });
  assert.equal(await posts(page).count(), 1);
  await posts(page).first().getByText(`Bob also likes ${word}`).waitFor();
  await screenshot(page, 'search-1440');
  await assertAccessible(page, 'search results 1440px');

  await page.reload();
  await page.getByText(/Found 1 post for/).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByLabel('From (username)').inputValue(), bob.username, 'the filter is back in its field');
  assert.equal(await page.getByLabel('Search people, posts and hashtags').inputValue(), word);
  await posts(page).first().getByText(`Bob also likes ${word}`).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('more posts load below the first page, without duplicates, newest first', async () => {
  const many = w('many');
  for (let i = 0; i < 25; i++) await bob.client.v1.statuses.create({ status: `${many} number ${i}` });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await page.goto(`${srv.url}/#/search/${many}/statuses`);
  await page.getByText(`Found 20+ posts for “${many}”.`).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByLabel('Show').inputValue(), 'statuses', 'the type is kept from the address');
  assert.equal(await posts(page).count(), 20);
  await page.getByRole('button', { name: 'More posts' }).click();
  await page.getByText('That is everything that matches.').waitFor({ timeout: 15_000 });
  const ids = await posts(page).evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.equal(ids.length, 25);
  assert.equal(new Set(ids).size, 25, 'no post twice');
  const sorted = [...ids].sort((x, y) => (BigInt(y) > BigInt(x) ? 1 : -1));
  assert.deepEqual(ids, sorted, 'newest first');
  assert.equal(await page.getByRole('button', { name: 'More posts' }).isVisible(), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a person result links to their profile, a hashtag result to its page', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await page.goto(`${srv.url}/#/search/${encodeURIComponent(bob.username)}`);
  const person = page.getByRole('list', { name: 'People found' }).getByRole('link', { name: new RegExp(bob.username) });
  await person.waitFor({ timeout: 15_000 });
  assert.equal(await person.getAttribute('href'), `#/profile/${bob.account.id}`);

  await page.goto(`${srv.url}/#/search/${encodeURIComponent(`#${tag}`)}`);
  const hashtag = page.getByRole('list', { name: 'Hashtags found' }).getByRole('link', { name: `#${tag}` });
  await hashtag.waitFor({ timeout: 15_000 });
  await hashtag.click();
  await page.waitForURL((u) => u.hash === `#/tag/${tag}`);
  // views/tag.js is another screen's: where it is not built yet, its module is a 404
  assert.deepEqual(page.problems.filter((p) => !/404/.test(p)), []);
  await page.context().close();
});

test('no results says so and gives hints; a filter-only miss suggests searching without filters', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  const nothing = w('nothing');
  await page.goto(`${srv.url}/#/search/${encodeURIComponent(`${nothing} has:poll`)}`);
  await page.getByText(`No results for “${nothing} has:poll”.`).waitFor({ timeout: 15_000 });
  await page.getByText('Check the spelling, or use fewer words').waitFor();
  assert.equal(await page.getByLabel('Has a poll').isChecked(), true, 'has:poll is shown as its checkbox');
  await page.getByRole('link', { name: nothing }).waitFor();
  await screenshot(page, 'search-empty-390');
  await assertAccessible(page, 'search without results');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a query the server refuses explains why and keeps the text', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await page.goto(`${srv.url}/#/search`);
  await search(page, `${word} has:media`);
  await page.getByText(/This search cannot run/).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByLabel('Search people, posts and hashtags').inputValue(), `${word} has:media`);
  await page.context().close();
});

test('a broken route shows the friendly not-found page with a way back', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await page.goto(`${srv.url}/#/does-not-exist`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor({ timeout: 15_000 });
  await page.getByRole('link', { name: 'Go to your home feed' }).waitFor();
  assert.equal(await page.title(), 'Not found · partyline');
  await screenshot(page, 'notfound-390');
  await assertAccessible(page, 'not found page');
  // the browser itself logs the module's 404; nothing else may go wrong
  assert.deepEqual(page.problems.filter((p) => !/404/.test(p)), []);
  await page.context().close();
});

test('a view that fails shows "Something went wrong" with Try again, which recovers', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  // the catch-up module first throws while drawing, then (on Try again) is the real one
  let broken = true;
  await page.route(/\/js\/views\/catchup\.js/, (route) => (broken
    ? route.fulfill({ contentType: 'text/javascript', body: "export const title = 'Broken'; export function render() { throw new Error('the view fell over'); }" })
    : route.continue()));
  await page.goto(`${srv.url}/#/catchup`);
  await page.getByRole('heading', { name: 'Something went wrong' }).waitFor({ timeout: 15_000 });
  await page.getByText('What happened: the view fell over').waitFor();
  await screenshot(page, 'error-390');
  await assertAccessible(page, 'error page');
  broken = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: 'While you were away' }).waitFor({ timeout: 15_000 });

  // a module the server fails to send (500) is an error too, not "not found"
  await page.route(/\/js\/views\/search\.js/, (route) => route.fulfill({ status: 500, body: 'oops' }));
  await page.goto(`${srv.url}/#/search`);
  await page.getByText(/could not be loaded \(the server answered 500\)/).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByRole('heading', { name: 'Page not found' }).count(), 0);
  assert.deepEqual(page.problems.filter((p) => !/status of 500/.test(p)), []);
  await page.context().close();
});

test('the filters and the query text are two views of one query (searchquery.js)', () => {
  const f = parse('"budget review" from:amara after:2025-03-01 in:marketing has:poll is:reply https://x.example/a');
  assert.deepEqual(f, {
    words: '"budget review" https://x.example/a', from: 'amara', before: '', after: '2025-03-01', during: '',
    in: 'marketing', poll: true, reply: true,
  });
  assert.equal(build(f), '"budget review" https://x.example/a from:amara after:2025-03-01 in:marketing has:poll is:reply');
  assert.equal(build(parse(build(f))), build(f), 'a round trip changes nothing');
  // a second from: is not dropped: it stays in the words, where the server sees it
  assert.equal(parse('from:a from:b x').words, 'from:b x');
  assert.equal(build({ words: ' ', from: ' @bob ', during: '2026-01-02' }), 'from:@bob during:2026-01-02');
});

test('a hand-typed address with a stray % still shows the search page', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await page.goto(`${srv.url}/#/search/100%`);
  assert.equal(await page.getByLabel('Search people, posts and hashtags').inputValue({ timeout: 15_000 }), '100%');
  await page.getByText(/No results for “100%”|Found/).waitFor({ timeout: 15_000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
