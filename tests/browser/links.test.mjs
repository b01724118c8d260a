// links.test.mjs — the links the API hands out, opened in chromium (issue 11 item 5):
// Status.url shows the post's thread and Account.url the profile, signed in; signed out, the
// sign-in page (which comes back to the post after signing in), or the post read-only where
// public_read lets a visitor read it — and never a post a visitor may not read.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, launch, newPage, PHONE, screenshot } from './browser.mjs';

const T = { timeout: 15_000 };
let open; // public_read on
let closed; // public_read off
let browser;
let ann; // on the open server
let pub; // her public post
let company; // her company post
let annClosed;
let pubClosed;

before(async () => {
  [open, closed] = await Promise.all([
    startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } }),
    startServer(),
  ]);
  browser = await launch();
  ann = await registerUser(open.url, uniqueName('ann'));
  await ann.client.v1.accounts.updateCredentials({ displayName: 'Ann Link' });
  pub = await ann.client.v1.statuses.create({ status: 'The launch is on Friday', visibility: 'public' });
  await ann.client.v1.statuses.create({ status: 'A reply in the open', visibility: 'public', inReplyToId: pub.id });
  company = await ann.client.v1.statuses.create({ status: 'Inside the company only', visibility: 'company' });
  annClosed = await registerUser(closed.url, uniqueName('ann'));
  pubClosed = await annClosed.client.v1.statuses.create({ status: 'Public, but nobody outside reads', visibility: 'public' });
});
after(async () => {
  await browser?.close();
  await Promise.all([open?.stop(), closed?.stop()]);
});

/** Goes through the sign-in page as who (the page must show its Sign in button). */
async function signInHere(page, who) {
  await page.getByRole('button', { name: 'Sign in' }).first().click();
  await page.waitForURL(/\/oauth\/authorize\?/);
  await page.getByLabel('E-mail or username').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Authorize' }).click();
}

const signInPage = (page) => page.getByRole('heading', { name: 'Your company, talking' });
const thread = (page) => page.getByRole('list', { name: 'Thread' });

describe('signed out', () => {
  test('a public post with public_read: shown read-only, with its replies and a way to sign in', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto(pub.url);
    await thread(page).getByText('The launch is on Friday').waitFor(T);
    assert.equal(new URL(page.url()).hash, `#/status/${pub.id}`, 'the address becomes the route');
    await page.getByRole('list', { name: 'Replies' }).getByText('A reply in the open').waitFor(T);
    assert.equal(await page.getByRole('group', { name: 'Post actions' }).count(), 0, 'nothing to press signed out');
    assert.equal(await page.getByLabel(/Your reply/).count(), 0, 'no reply form');
    await page.getByText('Sign in to reply, like or boost.').waitFor(T);
    await assertAccessible(page, 'a public post signed out');
    await screenshot(page, 'links-public-post-signed-out');
    assert.deepEqual(page.problems.filter((p) => !/401|404/.test(p)), []);
    await page.context().close();
  });

  test('a company post, a profile, and any post without public_read: the sign-in page, which comes back', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto(company.url);
    await signInPage(page).waitFor(T);
    assert.equal(await page.getByText('Inside the company only').count(), 0, 'nothing of the post');

    await page.goto(ann.account.url);
    await signInPage(page).waitFor(T);
    assert.equal(new URL(page.url()).hash, `#/profile/@${ann.username}`);

    await page.goto(pubClosed.url);
    await signInPage(page).waitFor(T);
    assert.equal(await page.getByText('Public, but nobody outside reads').count(), 0);
    await signInHere(page, annClosed);
    await page.waitForURL((u) => u.hash === `#/status/${pubClosed.id}` && !u.search, T);
    await thread(page).getByText('Public, but nobody outside reads').waitFor(T);
    await page.context().close();
  });
});

describe('signed in', () => {
  test('Status.url shows the thread with its actions; Account.url the profile; Tag.url the tag', async () => {
    const bob = await registerUser(open.url, uniqueName('bob'));
    const page = await newPage(browser, PHONE);
    await page.goto(company.url);
    await signInHere(page, bob);
    await page.waitForURL((u) => u.hash === `#/status/${company.id}` && !u.search, T);
    await thread(page).getByText('Inside the company only').waitFor(T);
    await page.getByRole('group', { name: 'Post actions' }).first().waitFor(T);
    await page.getByLabel(/Your reply to Ann Link/).waitFor(T);

    await page.goto(pub.url); // signed in now: straight to it
    await thread(page).getByText('The launch is on Friday').waitFor(T);
    assert.equal(new URL(page.url()).pathname, '/');

    await page.goto(ann.account.url);
    await page.getByRole('heading', { name: 'Ann Link', level: 1 }).waitFor(T);
    assert.equal(new URL(page.url()).hash, `#/profile/${ann.account.id}`, 'the name became the id');
    await page.getByRole('button', { name: 'Follow' }).waitFor(T);
    await page.getByText('The launch is on Friday').first().waitFor(T);
    await screenshot(page, 'links-profile-signed-in');

    // Tag.url (a tag that is no ASCII word: the address is percent-encoded) opens the tag
    const tagged = await ann.client.v1.statuses.create({ status: 'Coffee talk #café', visibility: 'public' });
    assert.equal(tagged.tags.length, 1);
    await page.goto(tagged.tags[0].url);
    await page.waitForURL((u) => decodeURIComponent(u.hash) === '#/tag/café', T);
    await page.getByText('Coffee talk').first().waitFor(T);

    await page.goto(`${open.url}/@nobody_${Date.now() % 100000}`);
    await page.getByText('There is no such person here').waitFor(T);
    assert.deepEqual(page.problems.filter((p) => !/404/.test(p)), []);
    await page.context().close();
  });
});
