// avatars.test.mjs — the pictures of people and channels in the web client against a real
// server: a post shows its author's avatar (the server's initials default for someone who
// uploaded none, and it loads), a boost line the booster's, a notification the faces of who
// did it, lists of people theirs (followers, channel members, search), the profile its large
// avatar and header, a channel its picture in the list and on its page; the profile editor
// previews a chosen avatar and header, sends them as multipart to update_credentials, and the
// server's stored picture then shows on one's posts. Every one decorative (alt="", the name
// beside it), sized (no layout shift), lazy. Screenshots at phone and desk sizes; axe-core; no CSP
// violation (img-src 'self').

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';
import { solid } from './pictures.mjs';

const WAIT = { timeout: 15_000 };

let srv;
let browser;
let ada;
let ben;
let channel;

async function call(who, method, path, json) {
  const r = await raw(srv.url, path, { method, token: who.token, json });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  ada = await registerUser(srv.url, uniqueName('ada'));
  ben = await registerUser(srv.url, uniqueName('ben'));
  await ben.client.v1.accounts.updateCredentials({ displayName: 'Ben Okafor' });
  ben.account = await ben.client.v1.accounts.verifyCredentials();
  await ada.client.v1.accounts.$select(ben.account.id).follow();
  await call(ada, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Ada Lovelace' });
  ada.account = await ada.client.v1.accounts.verifyCredentials();
  channel = await call(ben, 'POST', '/api/v1/partyline/channels',
    { name: uniqueName('bikes'), display_name: 'Bikes', note: 'Rides and repairs' });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** The avatar <img>s in a locator: their src, alt, size attributes, loading and whether they loaded. */
function pictures(locator) {
  return locator.evaluateAll((imgs) => imgs.map((i) => ({
    src: i.getAttribute('src'), alt: i.getAttribute('alt'), width: i.getAttribute('width'),
    height: i.getAttribute('height'), loading: i.dataset.wasLoading ?? i.getAttribute('loading'),
    loaded: i.complete && i.naturalWidth > 0, shown: i.clientWidth,
  })));
}

/** Waits until every image in the locator has loaded (or failed: naturalWidth 0). */
async function settled(locator) {
  await locator.first().waitFor(WAIT);
  await locator.evaluateAll((imgs) => Promise.all(imgs.map((i) => {
    i.dataset.wasLoading = i.getAttribute('loading'); // what the client set, for pictures()
    i.loading = 'eager'; // a lazy one off screen would wait for a scroll
    return i.complete ? null : new Promise((ok) => { i.onload = ok; i.onerror = ok; });
  })));
}

function assertAvatar(p, account, size, what) {
  assert.equal(p.src, account.avatarStatic ?? account.avatar_static, `${what}: the account's avatar (the server's own address)`);
  assert.match(p.src, /\/avatars\/\d+\/[^/]+\.png$/, `${what}: the initials default`);
  assert.equal(p.alt, '', `${what}: decorative, the name is beside it`);
  assert.equal(p.width, String(size), `${what}: width set`);
  assert.equal(p.height, String(size), `${what}: height set`);
  assert.equal(p.loading, 'lazy', `${what}: loaded lazily`);
  assert.ok(p.loaded, `${what}: the picture loaded (naturalWidth > 0)`);
  assert.equal(p.shown, size, `${what}: drawn ${size}px wide`);
}

async function checkScreen(page, name, size) {
  await screenshot(page, `${name}-${size.width}`);
  await assertAccessible(page, `${name} ${size.width}px`);
  assert.deepEqual(page.problems, [], `${name}: no console errors or CSP violations`);
}

test("a post shows its author's avatar, a boost the booster's, a notification the faces", async () => {
  const post = await ben.client.v1.statuses.create({ status: 'The bike shed is painted green' });
  await ada.client.v1.statuses.create({ status: 'Lunch at noon, all welcome' });
  await ben.client.v1.statuses.$select(post.id).favourite().catch(() => {});
  const mine = await ada.client.v1.statuses.create({ status: 'Who has the projector?' });
  await ben.client.v1.statuses.$select(mine.id).favourite();
  await ben.client.v1.statuses.$select(mine.id).reblog();

  for (const size of [PHONE, DESK]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, ada);
    const feed = page.getByRole('list', { name: 'Home feed' });
    const card = feed.getByRole('article', { name: 'Post by Ben Okafor' }).filter({ hasText: 'The bike shed' });
    await card.waitFor(WAIT);
    const imgs = card.locator('header img.avatar');
    await settled(imgs);
    const [p] = await pictures(imgs);
    assertAvatar(p, ben.account, 44, 'the post card');
    // the name link is still just the name for a screen reader
    await card.getByRole('link', { name: 'Ben Okafor', exact: true }).waitFor(WAIT);

    const boost = feed.locator('article').filter({ hasText: 'Who has the projector?' }).filter({ hasText: 'boosted' });
    await boost.first().waitFor(WAIT);
    const small = boost.first().locator('.boosted img.avatar');
    await settled(small);
    assertAvatar((await pictures(small))[0], ben.account, 20, 'the boost line');
    const author = boost.first().locator('header img.avatar');
    await settled(author);
    assertAvatar((await pictures(author))[0], ada.account, 44, "the boosted post's author");
    await checkScreen(page, 'avatars-home', size);

    await page.goto(`${srv.url}/#/notifications`);
    const row = page.getByRole('list', { name: 'Notifications' }).locator('li.notification').filter({ hasText: 'liked your post' });
    await row.first().waitFor(WAIT);
    const faces = row.first().locator('.faces img.avatar');
    await settled(faces);
    assertAvatar((await pictures(faces))[0], ben.account, 32, 'the notification');
    await checkScreen(page, 'avatars-notifications', size);
    await page.context().close();
  }
});

test('people lists, the profile (avatar and header) and channels show their pictures', async () => {
  for (const size of [PHONE, DESK]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, ada);

    await page.goto(`${srv.url}/#/profile/${ben.account.id}`);
    await page.getByRole('heading', { name: 'Ben Okafor', level: 1 }).waitFor(WAIT);
    const large = page.locator('.profile-top img.avatar');
    await settled(large);
    assertAvatar((await pictures(large))[0], ben.account, 96, 'the profile');
    const header = page.locator('.profile-top img.profile-header');
    await settled(header);
    const hp = await header.evaluate((i) => ({ src: i.getAttribute('src'), alt: i.getAttribute('alt'), w: i.naturalWidth }));
    assert.equal(hp.src, ben.account.headerStatic, 'the header image is the account header');
    assert.equal(hp.alt, '', 'the header is decorative');
    assert.ok(hp.w > 0, 'the header loaded');
    await checkScreen(page, 'avatars-profile', size);

    await page.getByRole('link', { name: /1 follower/ }).click();
    const followers = page.getByRole('list', { name: 'Followers' });
    const person = followers.getByRole('link', { name: new RegExp(ada.username) });
    await person.waitFor(WAIT);
    const face = person.locator('img.avatar');
    await settled(face);
    assertAvatar((await pictures(face))[0], ada.account, 40, 'the followers list');

    await page.goto(`${srv.url}/#/channels`);
    const item = page.locator(`li.channel-item[data-id="${channel.id}"]`);
    await item.waitFor(WAIT);
    const chImg = item.locator('img.avatar');
    await settled(chImg);
    assertAvatar((await pictures(chImg))[0], channel.account, 40, 'the channel list');
    await item.getByRole('link', { name: 'Bikes', exact: true }).waitFor(WAIT);
    await checkScreen(page, 'avatars-channels', size);

    await page.goto(`${srv.url}/#/channel/${channel.id}`);
    await page.getByRole('heading', { name: 'Bikes', level: 1 }).waitFor(WAIT);
    const big = page.locator('.channel-header img.avatar');
    await settled(big);
    assertAvatar((await pictures(big))[0], channel.account, 64, 'the channel page');

    await page.goto(`${srv.url}/#/channel/${channel.id}/members`);
    const member = page.getByRole('list', { name: 'Members' }).locator('li').filter({ hasText: `@${ben.account.acct}` });
    await member.first().waitFor(WAIT);
    const memberImg = member.first().locator('img.avatar');
    await settled(memberImg);
    assertAvatar((await pictures(memberImg))[0], ben.account, 32, 'the channel members');

    await page.goto(`${srv.url}/#/search/${encodeURIComponent(ben.username)}`);
    const found = page.getByRole('list', { name: 'People found' }).getByRole('link', { name: new RegExp(ben.username) });
    await found.waitFor(WAIT);
    const foundImg = found.locator('img.avatar');
    await settled(foundImg);
    assertAvatar((await pictures(foundImg))[0], ben.account, 40, 'the people found');
    await page.context().close();
  }
});

/** In the profile editor: picks a red avatar and a blue header, saves. The request it sent. */
async function uploadPictures(page) {
  await page.goto(`${srv.url}/#/profile/edit`);
  await page.getByRole('group', { name: 'Pictures' }).waitFor(WAIT);
  await page.getByLabel('Picture', { exact: true }).setInputFiles(
    { name: 'me.png', mimeType: 'image/png', buffer: solid([200, 30, 30], 200, 200) });
  await page.getByLabel('Header', { exact: true }).setInputFiles(
    { name: 'top.png', mimeType: 'image/png', buffer: solid([30, 60, 200], 300, 100) });
  const preview = page.locator('.profile-avatar-row img');
  await page.waitForFunction((img) => img.src.startsWith('data:image/png') && img.complete && img.naturalWidth === 200,
    await preview.elementHandle(), WAIT);
  const headerPreview = page.locator('.profile-header-row img');
  await page.waitForFunction((img) => img.src.startsWith('data:image/png') && img.complete && img.naturalWidth === 300,
    await headerPreview.elementHandle(), WAIT);
  // what the client put in its multipart bodies (Chromium gives no post data for file parts)
  await page.evaluate(() => {
    const real = window.fetch;
    window.sentForms = [];
    window.fetch = (url, opts) => {
      if (opts?.body instanceof FormData) {
        window.sentForms.push([...opts.body.entries()].map(([k, v]) => [k, v.name, v.type, v.size]));
      }
      return real(url, opts);
    };
  });
  const sent = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith('/api/v1/accounts/update_credentials')
    && /^multipart\/form-data/.test(r.headers()['content-type'] ?? ''), WAIT);
  await page.getByRole('button', { name: 'Save profile' }).click();
  return sent;
}

test('the profile editor previews a chosen avatar and header and sends them as multipart', async () => {
  for (const size of [PHONE, DESK]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, ada);
    await page.goto(`${srv.url}/#/profile/edit`);
    await page.getByRole('group', { name: 'Pictures' }).waitFor(WAIT);
    const before = await ada.client.v1.accounts.verifyCredentials();
    const current = page.locator('.profile-avatar-row img.avatar');
    await settled(current);
    assert.equal((await pictures(current))[0].src, before.avatarStatic, 'the current picture first');
    await uploadPictures(page);
    const forms = await page.evaluate(() => window.sentForms);
    assert.equal(forms.length, 1, 'one multipart request');
    assert.deepEqual(forms[0].map(([k, name, type]) => [k, name, type]),
      [['avatar', 'me.png', 'image/png'], ['header', 'top.png', 'image/png']], 'the avatar and header as file parts');
    // the server's answer decides what the page says: saved with the new picture, or an
    // alert that it kept the old one (never "saved" over a picture that did not change)
    await page.waitForURL((u) => u.hash === '#/profile', WAIT);
    const after = await ada.client.v1.accounts.verifyCredentials();
    assert.notEqual(after.avatar, before.avatar, 'the server keeps the new picture');
    assert.notEqual(after.header, before.header, 'and the new header');
    // the profile shows the new pictures (the header is the upload's blue, filled to 3:1)
    // (the profile's own: the editor's preview, also 96 wide, stays until the profile has loaded)
    const big = page.locator('.profile-top img.avatar');
    await settled(big);
    assert.equal((await pictures(big))[0].src, after.avatarStatic, 'the profile shows the new avatar');
    assert.ok((await pictures(big))[0].loaded, 'and it loads');
    await checkScreen(page, 'avatars-profile-edit-saved', size);
    await page.goto(`${srv.url}/#/profile/edit`);
    await page.getByRole('group', { name: 'Pictures' }).scrollIntoViewIfNeeded();
    await checkScreen(page, 'avatars-profile-edit', size);
    await page.context().close();
  }
});

test('an uploaded avatar replaces the initials on their posts after a reload', async () => {
  const cy = await registerUser(srv.url, uniqueName('cy'));
  await cy.client.v1.statuses.create({ status: 'New picture, who dis' });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, cy);
  const bar = page.locator('#topbar .account-toggle img.avatar');
  await settled(bar);
  const before = (await pictures(bar))[0].src;
  await uploadPictures(page);
  await page.waitForURL((u) => u.hash === '#/profile', WAIT);
  // the phone's top bar shows the new picture at once, without a reload
  await page.waitForFunction((old) => {
    const i = document.querySelector('#topbar .account-toggle img.avatar');
    return i && i.getAttribute('src') !== old && i.complete && i.naturalWidth > 0;
  }, before, WAIT);
  await page.reload();
  const card = page.getByRole('article').filter({ hasText: 'New picture, who dis' });
  await card.waitFor(WAIT);
  const img = card.locator('header img.avatar');
  await settled(img);
  const [p] = await pictures(img);
  assert.notEqual(p.src, cy.account.avatarStatic, 'a new address');
  assert.ok(p.loaded, 'the new picture loaded');
  const red = await img.evaluate((i) => {
    const c = document.createElement('canvas');
    c.width = 1;
    c.height = 1;
    c.getContext('2d').drawImage(i, 0, 0, 1, 1);
    return [...c.getContext('2d').getImageData(0, 0, 1, 1).data].slice(0, 3);
  });
  assert.ok(red[0] > 150 && red[1] < 80, `the uploaded red picture, not the initials (${red})`);
  await page.context().close();
});

test("a channel's moderator uploads its picture and header: the channel page and the list show them", async () => {
  const design = await call(ben, 'POST', '/api/v1/partyline/channels',
    { name: uniqueName('design'), display_name: 'Design', note: 'Pixels and type' });
  for (const size of [PHONE, DESK]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, ben);
    const before = await call(ben, 'GET', `/api/v1/partyline/channels/${design.id}`);
    await page.goto(`${srv.url}/#/channel/${design.id}/settings`);
    const group = page.getByRole('group', { name: 'Pictures' });
    await group.waitFor(WAIT);
    await page.getByLabel('Picture', { exact: true }).setInputFiles(
      { name: 'logo.png', mimeType: 'image/png', buffer: solid([200, 30, 30], 120, 120) });
    await page.getByLabel('Header', { exact: true }).setInputFiles(
      { name: 'banner.png', mimeType: 'image/png', buffer: solid([30, 60, 200], 600, 200) });
    await page.waitForFunction((img) => img.src.startsWith('data:image/png') && img.complete,
      await page.locator('.set-avatar-row img').elementHandle(), WAIT);
    await page.getByRole('button', { name: 'Save settings' }).click();
    // the page's header shows what the server stored (its own addresses, uploaded: u…)
    const banner = page.locator('.channel-header img.channel-banner');
    // (the header is drawn again with the saved channel: look it up each time)
    await page.waitForFunction((old) => {
      const src = document.querySelector('.channel-header img.channel-banner')?.src ?? '';
      return src !== old && /\/headers\/\d+\/u[0-9a-f]+\.png$/.test(src);
    }, before.account.header, WAIT);
    const stored = await call(ben, 'GET', `/api/v1/partyline/channels/${design.id}`);
    assert.match(stored.account.avatar, /\/avatars\/\d+\/u[0-9a-f]+\.png$/, 'the server keeps the picture');
    const face = page.locator('.channel-header .channel-title img.avatar');
    await settled(face);
    const [p] = await pictures(face);
    assert.equal(p.src, stored.account.avatar_static, 'the channel page shows the new picture');
    assert.ok(p.loaded, 'and it loads');
    await settled(banner);
    assert.ok((await pictures(banner))[0].loaded, 'the header loads');
    await page.evaluate(() => window.scrollTo(0, 0));
    await checkScreen(page, 'channel-images-settings', size);

    await page.goto(`${srv.url}/#/channels`);
    const inList = page.locator(`a.channel-link[href="#/channel/${design.id}"] img.avatar`);
    await settled(inList);
    const [l] = await pictures(inList);
    assert.equal(l.src, stored.account.avatar_static, 'the channel list shows it too');
    assert.ok(l.loaded);
    await checkScreen(page, 'channel-images-list', size);

    // the settings offer to remove an uploaded picture: the default comes back at once
    await page.goto(`${srv.url}/#/channel/${design.id}/settings`);
    await page.getByRole('button', { name: 'Remove picture' }).click();
    await page.waitForFunction(() => /\/avatars\/\d+\/d[0-9a-f]+\.png$/.test(
      document.querySelector('.channel-header .channel-title img.avatar')?.src ?? ''), null, WAIT);
    await page.getByRole('button', { name: 'Remove picture' }).waitFor({ state: 'detached', ...WAIT });
    const cleared = await call(ben, 'GET', `/api/v1/partyline/channels/${design.id}`);
    assert.match(cleared.account.avatar, /\/d[0-9a-f]+\.png$/, 'the server shows the default again');
    assert.equal(cleared.account.header, stored.account.header, 'the header stays');
    await page.context().close();
  }
});
