// layout.test.mjs — the client's look as a whole, in Debian's chromium against a real server:
// at 360 px (the narrowest phone we support) no screen scrolls sideways; on phones the main
// screens are a bottom tab bar and the rest sit behind "More" (keyboard: open, Escape
// closes and returns focus); on wide screens the navigation is a left column beside a
// centred reading column; the skip link moves focus to the page; dark mode passes axe.
// Screenshots <screen>-360, and home/profile/channel/notifications in dark.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const NARROW = { width: 360, height: 780 };
const WAIT = { timeout: 15_000 };

let srv;
let browser;
let ada;
let ben;
let chan;
before(async () => {
  srv = await startServer();
  browser = await launch();
  ada = await registerUser(srv.url, uniqueName('ada'));
  ben = await registerUser(srv.url, uniqueName('ben'));
  await ben.client.v1.accounts.$select(ada.account.id).follow();
  await ada.client.v1.accounts.$select(ben.account.id).follow();
  const r = await raw(srv.url, '/api/v1/partyline/channels', {
    method: 'POST', token: ada.token,
    json: { name: uniqueName('platform'), display_name: 'Platform engineering ops', note: 'Deploys, incidents and the on-call rota' },
  });
  chan = r.json;
  await ada.client.v1.statuses.create({
    status: 'A long word to test wrapping: supercalifragilisticexpialidociousandthensomemorecharacters https://example.com/a/very/long/path/that/should/wrap/nicely #launch',
  });
  await ada.client.v1.statuses.create({ status: 'Posted in the channel', channel_id: chan.id });
  await ben.client.v1.statuses.create({ status: `@${ada.account.acct} a direct word`, visibility: 'direct' });
  const own = await ada.client.v1.statuses.create({ status: 'Which day suits?', poll: { options: ['Monday', 'Friday'], expiresIn: 86400 } });
  await ben.client.v1.statuses.$select(own.id).favourite();
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
    return v.children.length > 0 && !v.querySelector('[data-old]') && !/Loading|Searching/.test(v.innerText);
  }, null, WAIT);
}

const SCREENS = [
  ['home', '#/home'],
  ['channels', '#/channels'],
  ['channel', () => `#/channel/${chan.id}`],
  ['feeds', '#/feeds'],
  ['profile', '#/profile'],
  ['notifications', '#/notifications'],
  ['messages', '#/messages'],
  ['search', '#/search/launch'],
  ['catchup', '#/catchup'],
];

test('at 360 px no screen scrolls sideways', async () => {
  const page = await newPage(browser, NARROW);
  await signIn(page, srv.url, ada);
  for (const [name, route] of SCREENS) {
    await open(page, typeof route === 'function' ? route() : route);
    const { scroll, inner, wide } = await page.evaluate(() => ({
      scroll: document.scrollingElement.scrollWidth,
      inner: innerWidth,
      // what sticks out, to say where in the failure message
      wide: [...document.querySelectorAll('#view *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
        .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    }));
    assert.ok(scroll <= inner, `${name}: the page is ${scroll}px wide in a ${inner}px window (${wide.join(', ')})`);
    // every control a finger aims at is at least 44 px tall (boxes and radios are covered
    // by their 44 px label rows; links inside sentences are exempt)
    const small = await page.evaluate(() => [...document.querySelectorAll(
      'button, .button, select, input:not([type="checkbox"]):not([type="radio"]), textarea, #nav a, summary')]
      .filter((e) => e.getClientRects().length && e.getBoundingClientRect().height < 43.5)
      .map((e) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 20)}" ${e.getBoundingClientRect().height}px`));
    assert.deepEqual(small, [], `${name}: touch targets under 44 px`);
    await screenshot(page, `${name}-360`);
  }
  assert.deepEqual(page.problems, [], 'no console errors or CSP violations');
  await page.context().close();
});

test('phones: five screens in a bottom tab bar, the rest under More, usable by keyboard', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ada);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const home = nav.getByRole('link', { name: 'Home', exact: true });
  const box = await home.boundingBox();
  assert.ok(box.y > PHONE.height - 100, `the tab bar is at the bottom (Home at y=${box.y})`);
  assert.ok(box.height >= 44, 'tabs are at least 44 px tall');
  const more = nav.getByRole('button', { name: 'More' });
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  assert.equal(await nav.getByRole('link', { name: 'Search' }).isVisible(), false, 'Search waits behind More');
  await more.focus();
  await page.keyboard.press('Enter');
  await nav.getByRole('link', { name: 'Search' }).waitFor(WAIT);
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  await screenshot(page, 'nav-more-390');
  await assertAccessible(page, 'the More menu open');
  await page.keyboard.press('Escape');
  await nav.getByRole('link', { name: 'Search' }).waitFor({ state: 'hidden', ...WAIT });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'More', 'focus returns to More');
  // choosing an entry goes there, closes the menu and marks More as where one is
  await more.click();
  await nav.getByRole('link', { name: 'Catch-up' }).click();
  await page.getByRole('heading', { level: 1, name: 'While you were away' }).waitFor(WAIT);
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#nav a[href="#/catchup"]').getAttribute('aria-current'), 'page');
  // the page's last control is not hidden under the tab bar
  await open(page, '#/home');
  await page.keyboard.press('End');
  const last = page.getByRole('list', { name: 'Home feed' }).getByRole('article').last();
  await last.scrollIntoViewIfNeeded();
  const barTop = (await nav.locator('.nav-main').boundingBox()).y;
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
  const lastBox = await last.boundingBox();
  assert.ok(lastBox.y + lastBox.height <= barTop + 1, 'the last post ends above the tab bar');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('wide screens: navigation in a left column, the page in a centred reading column; the skip link works', async () => {
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, ada);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const home = await nav.getByRole('link', { name: 'Home', exact: true }).boundingBox();
  const search = await nav.getByRole('link', { name: 'Search' }).boundingBox();
  assert.ok(home.x < 300 && search.x < 300 && search.y > home.y, 'entries stacked in a left column');
  assert.equal(await nav.getByRole('button', { name: 'More' }).isVisible(), false, 'no More on wide screens');
  const main = await page.locator('#view').boundingBox();
  assert.ok(main.width <= 40 * 16 + 1, `the reading column is at most 40rem (${main.width})`);
  // skip link: the first Tab shows it, Enter moves focus into the page
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  assert.ok(await skip.evaluate((e) => e === document.activeElement && e.getBoundingClientRect().left >= 0), 'the skip link is shown on focus');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'view', null, WAIT);
  assert.equal(new URL(page.url()).hash, '#/home', 'the skip link leaves the address (and the page) as it was');
  await page.getByRole('list', { name: 'Home feed' }).waitFor(WAIT);
  // every focusable control shows a visible ring (outline) when reached by keyboard
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  });
  assert.ok(ring, 'the focused control has an outline');
  await screenshot(page, 'layout-home-1440');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('dark mode: home, a profile, a channel and notifications pass axe', async () => {
  for (const size of [PHONE, DESK]) {
    const page = await newPage(browser, size);
    await page.emulateMedia({ colorScheme: 'dark' });
    await signIn(page, srv.url, ada);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.notEqual(bg, 'rgb(243, 243, 247)', 'the dark palette is in use');
    const w = size.width;
    await page.getByRole('list', { name: 'Home feed' }).getByRole('article').first().waitFor(WAIT);
    await screenshot(page, `home-dark-${w}`);
    await assertAccessible(page, `home in dark mode at ${w}px`);
    await open(page, `#/profile/${ben.account.id}`);
    await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
    await page.getByRole('button', { name: /Unfollow|Follow/ }).first().waitFor(WAIT);
    await screenshot(page, `profile-dark-${w}`);
    await assertAccessible(page, `a profile in dark mode at ${w}px`);
    await open(page, `#/channel/${chan.id}`);
    await page.getByText('Posted in the channel').waitFor(WAIT);
    await screenshot(page, `channel-dark-${w}`);
    await assertAccessible(page, `a channel in dark mode at ${w}px`);
    await open(page, '#/notifications');
    await page.getByRole('list', { name: /notifications/i }).getByRole('listitem').first().waitFor(WAIT);
    await screenshot(page, `notifications-dark-${w}`);
    await assertAccessible(page, `notifications in dark mode at ${w}px`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
