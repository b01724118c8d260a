// drafts.test.mjs — a half-written post survives (web/js/drafts.js), end to end in chromium
// against a real server: the home composer's text, content warning, audience and poll come
// back after changing screens and after a reload; posting or "Discard draft" ends the draft;
// a reply's draft comes back when that reply is opened again (inline or on the post's
// page); a channel's composer and the direct-message boxes keep theirs; and another person
// signing in on the same browser sees none of it (sign out deletes them, and a draft of
// another token is never shown). Screenshots at 390×844 and 1440×900, axe on both.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, openComposer, PHONE, screenshot, signIn, signOut } from './browser.mjs';

const T = { timeout: 15_000 };
let srv;
let browser;
let alice;
let bob;
let channel;

before(async () => {
  srv = await startServer();
  browser = await launch();
  alice = await registerUser(srv.url, uniqueName('alice'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  await alice.client.v1.accounts.$select(bob.account.id).follow();
  const made = await raw(srv.url, '/api/v1/partyline/channels', {
    method: 'POST', token: alice.token, json: { name: uniqueName('room').toLowerCase(), display_name: 'Draft room' },
  });
  assert.equal(made.status, 200, made.text);
  channel = made.json;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const homeText = (page) => page.getByLabel('What would you like to share?');
const storedDrafts = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('partyline.draft:')));

/** Goes to a route of the client and waits for it to be drawn. */
async function go(page, hash, ready, state = 'visible') {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await ready.waitFor({ state, ...T });
}

test('home: text, content warning, audience and poll survive changing screens and a reload; posting ends the draft', async () => {
  for (const [viewport, name] of [[PHONE, 'phone'], [DESK, 'desk']]) {
    const page = await newPage(browser, viewport);
    await signIn(page, srv.url, alice);
    const words = `Half a thought about the launch ${uniqueName('d')}`;
    await openComposer(page); // home's "Share something…" (opener.js)
    await homeText(page).fill(words);
    await page.getByLabel('Add a content warning').check();
    await page.getByLabel('Content warning', { exact: true }).fill('launch spoilers');
    await page.getByLabel('Who can see this?').selectOption('private');
    await page.getByRole('button', { name: 'Add a poll' }).click();
    await page.getByRole('textbox', { name: 'Choice 1' }).fill('Monday');
    await page.getByRole('textbox', { name: 'Choice 2' }).fill('Friday');
    await page.getByText('Draft saved').waitFor(T);

    await go(page, '#/messages', page.getByRole('list', { name: 'Conversations' }), 'attached');
    await go(page, '#/home', page.locator('button.compose-opener'));
    await openComposer(page);
    const check = async (when) => {
      assert.equal(await homeText(page).inputValue(), words, `text back ${when}`);
      assert.equal(await page.getByLabel('Content warning', { exact: true }).inputValue(), 'launch spoilers', `CW back ${when}`);
      assert.equal(await page.getByLabel('Who can see this?').inputValue(), 'private', `audience back ${when}`);
      assert.equal(await page.getByRole('textbox', { name: 'Choice 1' }).inputValue(), 'Monday', `poll back ${when}`);
      assert.equal(await page.getByRole('textbox', { name: 'Choice 2' }).inputValue(), 'Friday', `poll back ${when}`);
      await page.getByRole('button', { name: 'Discard draft' }).waitFor(T);
    };
    await check('after changing screens');

    await page.reload();
    await openComposer(page);
    await page.waitForFunction((w) => document.querySelector('form.compose textarea')?.value === w, words, T);
    await check('after a reload');
    await screenshot(page, `drafts-home-${name}`);
    await assertAccessible(page, `the home composer with a restored draft (${name})`);

    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByRole('list', { name: 'Home feed' }).getByRole('article').filter({ hasText: 'launch spoilers' }).first().waitFor(T);
    // the stream may show the post before the answer to POST arrives
    await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('partyline.draft:')), null, T);
    assert.ok(await page.getByRole('button', { name: 'Discard draft' }).isHidden());
    await page.reload();
    await openComposer(page);
    assert.equal(await homeText(page).inputValue(), '', 'posted: nothing comes back');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('home: "Discard draft" empties the composer and forgets the draft; it is saved on pagehide too', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await openComposer(page);
  await homeText(page).fill('never mind this');
  await page.getByRole('button', { name: 'Discard draft' }).click();
  assert.equal(await homeText(page).inputValue(), '');
  assert.deepEqual(await storedDrafts(page), []);
  await page.reload();
  await openComposer(page);
  assert.equal(await homeText(page).inputValue(), '', 'discarded: nothing comes back');

  // typed and left at once, before the debounce: pagehide keeps it
  await homeText(page).fill('typed just before leaving');
  await page.reload();
  await openComposer(page);
  await page.waitForFunction(() => document.querySelector('form.compose textarea')?.value === 'typed just before leaving', null, T);
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await page.context().close();
});

test('a reply’s draft comes back when that reply is opened again, inline or on the post’s page', async () => {
  const s = await bob.client.v1.statuses.create({ status: `Who has the slides? ${uniqueName('q')}`, visibility: 'company' });
  const other = await bob.client.v1.statuses.create({ status: `Lunch at noon ${uniqueName('l')}`, visibility: 'company' });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  const card = page.getByRole('list', { name: 'Home feed' }).locator(`[data-id="${s.id}"]`);
  await card.getByRole('button', { name: /^Reply/ }).click();
  const form = card.getByRole('form', { name: /^Reply to/ });
  await form.getByRole('textbox').fill(`@${bob.username} I have them, sending`);
  await form.getByText('Draft saved').waitFor(T);
  await page.keyboard.press('Escape');
  await form.waitFor({ state: 'detached', ...T });

  // another post's reply starts fresh
  const otherCard = page.getByRole('list', { name: 'Home feed' }).locator(`[data-id="${other.id}"]`);
  await otherCard.getByRole('button', { name: /^Reply/ }).click();
  const otherForm = otherCard.getByRole('form', { name: /^Reply to/ });
  assert.equal(await otherForm.getByRole('textbox').inputValue(), `@${bob.username} `);
  await page.keyboard.press('Escape');

  await card.getByRole('button', { name: /^Reply/ }).click();
  assert.equal(await form.getByRole('textbox').inputValue(), `@${bob.username} I have them, sending`, 'inline: restored');
  await page.keyboard.press('Escape');

  await go(page, `#/status/${s.id}`, page.getByRole('heading', { name: 'Replies' }));
  const pageForm = page.getByRole('form', { name: /^Reply to/ });
  assert.equal(await pageForm.getByRole('textbox').inputValue(), `@${bob.username} I have them, sending`, 'the post’s page: restored');
  await pageForm.getByRole('button', { name: 'Reply' }).click();
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('partyline.draft:reply:')), null, T);
  // posted: the form starts again from the names (once the answer came back)
  await pageForm.getByRole('textbox').evaluate((t, want) => new Promise((resolve, reject) => {
    const end = Date.now() + 15000;
    const tick = () => (t.value === want ? resolve() : Date.now() > end ? reject(new Error(`still "${t.value}"`)) : setTimeout(tick, 50));
    tick();
  }), `@${bob.username} `);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a channel’s composer and the direct-message boxes keep their drafts', async () => {
  const dm = await alice.client.v1.statuses.create({ status: `@${bob.username} about Friday`, visibility: 'direct' });
  const convs = await alice.client.v1.conversations.list();
  const conv = convs.find((c) => c.lastStatus?.id === dm.id);
  assert.ok(conv, 'the conversation exists');

  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, alice);
  const chanText = page.getByRole('form', { name: 'Post to Draft room' }).getByRole('textbox');
  await go(page, `#/channel/${channel.id}`, chanText);
  await chanText.fill('for the room only');
  await page.getByText('Draft saved').waitFor(T);

  const dmText = page.getByLabel(/^Reply to /);
  await go(page, `#/messages/${conv.id}`, dmText);
  await dmText.fill('Friday works for me');
  await page.getByText('Draft saved').waitFor(T);

  const newText = page.getByLabel('Message', { exact: true });
  await go(page, `#/messages/new/${bob.account.id}`, newText);
  await newText.fill('a new thread for bob');
  await page.getByText('Draft saved').waitFor(T);

  await page.reload();
  await newText.waitFor(T);
  assert.equal(await newText.inputValue(), 'a new thread for bob', 'New message: restored');
  assert.ok(await page.getByRole('list', { name: 'Recipients' }).getByText(`@${bob.account.acct}`).isVisible(), 'its recipient too');
  await go(page, `#/messages/${conv.id}`, dmText);
  assert.equal(await dmText.inputValue(), 'Friday works for me', 'conversation reply: restored');
  await screenshot(page, 'drafts-conversation-desk');
  await assertAccessible(page, 'a conversation with a restored draft');
  await go(page, `#/channel/${channel.id}`, chanText);
  assert.equal(await chanText.inputValue(), 'for the room only', 'channel: restored');
  await go(page, '#/home', page.locator('button.compose-opener'));
  await openComposer(page);
  assert.equal(await homeText(page).inputValue(), '', 'the channel’s draft is not the home one');

  // sending ends each
  await go(page, `#/messages/${conv.id}`, dmText);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('list', { name: 'Messages' }).getByText('Friday works for me').waitFor(T);
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('partyline.draft:conversation:')), null, T);
  await go(page, `#/channel/${channel.id}`, chanText);
  await page.getByRole('form', { name: 'Post to Draft room' }).getByRole('button', { name: 'Post', exact: true }).click();
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('partyline.draft:channel:')), null, T);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('another person signing in on the same browser sees none of the drafts', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, alice);
  await openComposer(page);
  await homeText(page).fill('alice’s private musing');
  await page.getByText('Draft saved').waitFor(T);

  // a draft of another token is never shown (and is deleted): as if bob's token replaced hers
  const kept = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage)
    .filter((k) => k.startsWith('partyline.draft:')).map((k) => [k, localStorage.getItem(k)])));
  assert.equal(Object.keys(kept).length, 1);
  const hers = await page.evaluate(() => localStorage.getItem('partyline.token'));
  await page.evaluate((t) => localStorage.setItem('partyline.token', t), bob.token);
  await page.reload();
  await openComposer(page);
  assert.equal(await homeText(page).inputValue(), '', 'another token: nothing shown');
  assert.deepEqual(await storedDrafts(page), [], 'and the other’s draft is gone');

  // (a token of the test harness's own app: the server may refuse it what the web app may do)
  page.problems.length = 0;

  // signing out deletes one's drafts
  await page.evaluate((t) => localStorage.setItem('partyline.token', t), hers);
  await page.reload();
  await openComposer(page);
  await homeText(page).fill('written, then signed out');
  await page.getByText('Draft saved').waitFor(T);
  await page.keyboard.press('Escape'); // the composer's dialog (phone) closes; the draft stays
  await signOut(page);
  await page.getByRole('button', { name: 'Sign in' }).waitFor(T);
  assert.deepEqual(await storedDrafts(page), [], 'signed out: no draft left in the browser');
  await signIn(page, srv.url, bob);
  await openComposer(page);
  assert.equal(await homeText(page).inputValue(), '', 'bob sees nothing of alice’s');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
