// settings.test.mjs — issue 13 item 8, "Bookmarks are write-only": the Bookmarks and Likes
// pages (reached from the navigation: under More on a phone, in the side column on a desk),
// the Filters page (create, edit, delete; warn folds a post, hide leaves it out), and
// Settings: preferences for new posts, changing the password, sessions with Sign out.
// Screenshots at 390×844 and 1440×900, axe clean, no console errors.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createApp, passwordLogin, PASSWORD, raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, openComposer, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };
let srv;
let browser;
let ada;
let ben;
let marked;
let liked;

before(async () => {
  srv = await startServer();
  browser = await launch();
  ada = await registerUser(srv.url, uniqueName('ada'));
  ben = await registerUser(srv.url, uniqueName('ben'));
  await ada.client.v1.accounts.$select(ben.account.id).follow();
  marked = await ben.client.v1.statuses.create({ status: 'The release checklist for Thursday, worth keeping' });
  liked = await ben.client.v1.statuses.create({ status: 'Cake in the kitchen at four' });
  await ben.client.v1.statuses.create({ status: 'Nothing special here' });
  await ada.client.v1.statuses.$select(marked.id).bookmark();
  await ada.client.v1.statuses.$select(liked.id).favourite();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** Opens a route and waits until the new view has drawn and says nothing is loading. */
async function open(page, hash) {
  await page.evaluate((h) => {
    if (location.hash === h) return;
    for (const e of document.querySelectorAll('#view > *')) e.dataset.old = '';
    location.hash = h;
  }, hash);
  await page.waitForFunction(() => {
    const v = document.querySelector('#view');
    return v.children.length > 0 && !v.querySelector('[data-old]') && !/Loading/.test(v.innerText);
  }, null, WAIT);
}

test('phone: Bookmarks and Likes are under More, each shows its posts', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ada);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'More' }).click();
  await nav.getByRole('link', { name: 'Bookmarks' }).click();
  await page.getByRole('heading', { level: 1, name: 'Bookmarks' }).waitFor(WAIT);
  const marks = page.getByRole('list', { name: 'Your bookmarks' });
  await marks.getByRole('article').first().waitFor(WAIT);
  assert.deepEqual(await marks.getByRole('article').evaluateAll((as) => as.map((a) => a.dataset.id)), [marked.id]);
  assert.equal(await page.locator('#nav a[href="#/bookmarks"]').getAttribute('aria-current'), 'page');
  await screenshot(page, 'bookmarks-390');
  await assertAccessible(page, 'the Bookmarks page');

  await nav.getByRole('button', { name: 'More' }).click();
  await nav.getByRole('link', { name: 'Likes' }).click();
  await page.getByRole('heading', { level: 1, name: 'Likes' }).waitFor(WAIT);
  const likes = page.getByRole('list', { name: 'Posts you liked' });
  await likes.getByRole('article').first().waitFor(WAIT);
  assert.deepEqual(await likes.getByRole('article').evaluateAll((as) => as.map((a) => a.dataset.id)), [liked.id]);
  await screenshot(page, 'favourites-390');
  await assertAccessible(page, 'the Likes page');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('desk: the side navigation leads to Bookmarks, Likes, Filters and Settings; empty pages say so', async () => {
  const fresh = await registerUser(srv.url, uniqueName('new'));
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, fresh);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [name, heading] of [['Bookmarks', 'Bookmarks'], ['Likes', 'Likes'], ['Filters', 'Filters'], ['Settings', 'Settings']]) {
    const link = nav.getByRole('link', { name, exact: true });
    assert.ok(await link.isVisible(), `${name} is in the side column`);
    await link.click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
  }
  await open(page, '#/bookmarks');
  await page.getByText('No bookmarks yet.').waitFor(WAIT);
  await screenshot(page, 'bookmarks-empty-1440');
  await open(page, '#/favourites');
  await page.getByText('No liked posts yet.').waitFor(WAIT);
  await assertAccessible(page, 'an empty Likes page');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('filters: create one that warns (the post folds, Show anyway opens it), change it to hide, delete it', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ada);
  const home = page.getByRole('list', { name: 'Home feed' });
  await home.getByRole('article').filter({ hasText: 'Cake in the kitchen' }).waitFor(WAIT);

  await open(page, '#/filters');
  await page.getByText('No filters yet.').waitFor(WAIT);
  await page.getByRole('link', { name: 'New filter' }).click();
  await page.getByRole('heading', { level: 1, name: 'New filter' }).waitFor(WAIT);
  // the form says what is missing
  await page.getByRole('button', { name: 'Create filter' }).click();
  await page.getByRole('alert').filter({ hasText: 'Give the filter a title.' }).waitFor(WAIT);
  await page.getByLabel('Title').fill('Sweets');
  await page.getByLabel('Keyword 1', { exact: true }).fill('cake');
  await page.getByRole('button', { name: 'Add a keyword' }).click();
  await page.getByLabel('Keyword 2', { exact: true }).fill('cookie');
  await page.getByRole('button', { name: 'Remove keyword 2' }).click();
  assert.equal(await page.getByLabel('Keyword 2', { exact: true }).count(), 0);
  await screenshot(page, 'filter-new-390');
  await assertAccessible(page, 'the new filter form');
  await page.getByRole('button', { name: 'Create filter' }).click();
  const row = page.getByRole('list', { name: 'Your filters' }).getByRole('listitem').filter({ hasText: 'Sweets' });
  await row.waitFor(WAIT);
  const [filter] = (await raw(srv.url, '/api/v2/filters', { token: ada.token })).json;
  assert.equal(filter.title, 'Sweets');
  assert.deepEqual(filter.keywords.map((k) => [k.keyword, k.whole_word]), [['cake', true]]);
  assert.deepEqual(filter.context.sort(), ['home', 'notifications', 'public']);
  assert.equal(filter.filter_action, 'warn');
  assert.equal(filter.expires_at, null);
  await screenshot(page, 'filters-390');
  await assertAccessible(page, 'the filters list');

  await open(page, '#/home');
  const folded = home.getByRole('article', { name: 'Filtered post' });
  await folded.waitFor(WAIT);
  assert.match(await folded.innerText(), /Filtered: Sweets/);
  assert.equal(await home.getByText('Cake in the kitchen').count(), 0, 'the words are folded away');
  assert.equal(await home.getByText('The release checklist').count(), 1, 'other posts are untouched');
  await folded.scrollIntoViewIfNeeded();
  await screenshot(page, 'filter-warn-home-390');
  await assertAccessible(page, 'a folded post');
  await folded.getByRole('button', { name: 'Show anyway' }).click();
  await home.getByText('Cake in the kitchen').waitFor(WAIT);

  // edit: hide, and only within words off
  await open(page, '#/filters');
  await page.getByRole('link', { name: 'Edit the filter Sweets' }).click();
  await page.getByRole('heading', { level: 1, name: 'Edit filter' }).waitFor(WAIT);
  assert.equal(await page.getByLabel('Title').inputValue(), 'Sweets');
  await page.getByLabel('Hide completely').check();
  await page.getByLabel('Expires after').selectOption({ label: '1 week' });
  await page.getByRole('button', { name: 'Save filter' }).click();
  await page.getByRole('list', { name: 'Your filters' }).waitFor(WAIT);
  const [changed] = (await raw(srv.url, '/api/v2/filters', { token: ada.token })).json;
  assert.equal(changed.filter_action, 'hide');
  assert.ok(Date.parse(changed.expires_at) > Date.now() + 6 * 86400_000);
  assert.equal(changed.keywords.length, 1, 'the keyword is kept');
  await open(page, '#/home');
  await home.getByText('The release checklist').waitFor(WAIT);
  assert.equal(await home.getByRole('article').filter({ hasText: /Cake|Filtered/ }).count(), 0, 'hidden: not even folded');

  // delete, with the inline question
  await open(page, '#/filters');
  await page.getByRole('button', { name: 'Delete the filter Sweets' }).click();
  await page.getByRole('group').getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No filters yet.').waitFor(WAIT);
  assert.deepEqual((await raw(srv.url, '/api/v2/filters', { token: ada.token })).json, []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('settings: preferences for new posts are saved and the compose box starts from them', async () => {
  const cy = await registerUser(srv.url, uniqueName('cy'));
  for (const viewport of [PHONE, DESK]) {
    const page = await newPage(browser, viewport);
    await signIn(page, srv.url, cy);
    await open(page, '#/settings');
    const audience = page.getByLabel('Who sees your posts, unless you choose otherwise');
    await audience.waitFor(WAIT);
    await screenshot(page, `settings-${viewport.width}`);
    const lastTab = await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Filters' }).boundingBox();
    assert.ok(lastTab.x + lastTab.width <= viewport.width, 'every settings tab is in view');
    await assertAccessible(page, 'the preferences');
    if (viewport === PHONE) {
      const before = (await raw(srv.url, '/api/v1/preferences', { token: cy.token })).json;
      assert.equal(await audience.inputValue(), before['partyline:posting:default:audience'], 'the saved default shows');
      await audience.selectOption({ label: 'Followers only' });
      await page.getByLabel('Language of your posts').selectOption('de');
      await page.getByLabel('Mark pictures and files as sensitive').check();
      await page.getByLabel('Write in Markdown').check();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.getByText('Your preferences are saved.').waitFor(WAIT);
      const prefs = (await raw(srv.url, '/api/v1/preferences', { token: cy.token })).json;
      assert.equal(prefs['partyline:posting:default:audience'], 'private');
      assert.equal(prefs['posting:default:language'], 'de');
      assert.equal(prefs['posting:default:sensitive'], true);
      assert.equal(prefs['partyline:posting:default:content_type'], 'text/markdown');
      await open(page, '#/home');
      await openComposer(page);
      await page.waitForFunction(() => document.querySelector('form.compose select')?.selectedOptions[0]?.textContent === 'Followers only', null, WAIT);
    } else {
      assert.equal(await audience.inputValue(), 'private', 'what was saved shows');
      assert.equal(await page.getByLabel('Write in Markdown').isChecked(), true);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('settings: sessions list this browser and others; Sign out ends another session', async () => {
  const di = await registerUser(srv.url, uniqueName('di'));
  const app = await createApp(srv.url, { name: 'Pocket phone app' });
  const phone = (await passwordLogin(srv.url, app, di.email)).accessToken;
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, di);
  await open(page, '#/settings/sessions');
  const list = page.getByRole('list', { name: 'Your sessions' });
  await list.getByRole('listitem').nth(2).waitFor(WAIT);
  assert.equal(await list.getByRole('listitem').count(), 3, 'the registration, the phone and this browser');
  assert.equal(await list.getByText('This session').count(), 1);
  await screenshot(page, 'sessions-1440');
  await assertAccessible(page, 'the sessions');
  const row = list.getByRole('listitem').filter({ hasText: 'Pocket phone app' });
  await row.getByRole('button', { name: /Sign out Pocket phone app/ }).click();
  await row.getByRole('group').getByRole('button', { name: 'Sign out' }).click();
  await row.waitFor({ state: 'detached', ...WAIT });
  assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: phone })).status, 401);
  assert.equal(await list.getByRole('listitem').count(), 2);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('settings: the password form checks what it can, says what the server refused, and changes it', async () => {
  const ed = await registerUser(srv.url, uniqueName('ed'));
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ed);
  await open(page, '#/settings/sessions');
  await page.getByRole('list', { name: 'Your sessions' }).getByText('This session').waitFor(WAIT);
  await screenshot(page, 'sessions-390');
  await assertAccessible(page, 'the sessions on a phone');
  await open(page, '#/settings/password');
  await page.getByLabel('Current password').waitFor(WAIT);
  const submit = page.getByRole('button', { name: 'Change password' });
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill('new and long');
  await page.getByLabel('New password again').fill('new and lung');
  await submit.click();
  await page.getByRole('alert').filter({ hasText: 'The two new passwords differ' }).waitFor(WAIT);
  await page.getByLabel('New password again').fill('new and long');
  await submit.click();
  await page.getByRole('alert').filter({ hasText: 'current password is not correct' }).waitFor(WAIT);
  assert.equal(await page.getByLabel('Current password').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'password-error-390');
  await assertAccessible(page, 'the password form with an error');
  await page.getByLabel('Current password').fill(PASSWORD);
  await submit.click();
  await page.getByText('Your password is changed. Your other sessions are signed out.').waitFor(WAIT);
  assert.equal((await raw(srv.url, '/api/v1/accounts/verify_credentials', { token: ed.token })).status, 401, 'the registration token is signed out');
  // this browser stays signed in
  await open(page, '#/home');
  await page.getByRole('list', { name: 'Home feed' }).waitFor({ state: 'attached', ...WAIT });
  await openComposer(page);
  const app = await createApp(srv.url);
  assert.ok((await passwordLogin(srv.url, app, ed.email, 'new and long')).accessToken);
  assert.deepEqual(page.problems.filter((p) => !/422/.test(p)), []);
  await page.context().close();
});

test('filters: a filter another app set to blur keeps blur when edited here, and its posts fold', async () => {
  const fi = await registerUser(srv.url, uniqueName('fi'));
  await fi.client.v1.accounts.$select(ben.account.id).follow();
  const made = await raw(srv.url, '/api/v2/filters', {
    method: 'POST', token: fi.token,
    json: { title: 'Kitchen', context: ['home'], filter_action: 'blur', keywords_attributes: [{ keyword: 'kitchen' }] },
  });
  assert.equal(made.status, 200, made.text);
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, fi);
  const home = page.getByRole('list', { name: 'Home feed' });
  await home.getByRole('article', { name: 'Filtered post' }).waitFor(WAIT);
  await open(page, `#/filters/${made.json.id}`);
  assert.equal(await page.getByLabel('Blur pictures and files').isChecked(), true);
  await page.getByLabel('Title').fill('Kitchen talk');
  await page.getByRole('button', { name: 'Save filter' }).click();
  await page.getByRole('list', { name: 'Your filters' }).getByText('Kitchen talk').waitFor(WAIT);
  const got = (await raw(srv.url, `/api/v2/filters/${made.json.id}`, { token: fi.token })).json;
  assert.equal(got.filter_action, 'blur');
  assert.equal(got.title, 'Kitchen talk');
  await screenshot(page, 'filters-1440');
  await assertAccessible(page, 'the filters list on a desk');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
