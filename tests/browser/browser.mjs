// browser.mjs — Debian's chromium driven by playwright-core for the browser tests: no
// browser download, flags for a closed network, and helpers every browser test shares.

import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const screenshotDir = path.join(here, 'screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESK = { width: 1440, height: 900 };

/** Launches headless /usr/bin/chromium (or $CHROMIUM) with a fresh profile. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page in a new context of the given size that records every console error and every
 * CSP violation, so a test can assert the page ran clean (page.problems).
 */
export async function newPage(browser, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

/** Signs in through the client's button and the server's real sign-in page (OAuth's
 *  authorization code with PKCE): what tests about signing in use. */
export async function signInThroughPage(page, url, { email, password }) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/oauth\/authorize\?/);
  await page.getByLabel('E-mail or username').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL((u) => u.hash === '#/home' && !u.search);
  await page.getByRole('list', { name: 'Home feed' }).waitFor({ state: 'attached' });
}

const webApps = new Map(); // server url → the web client's app there, registered once

/**
 * Signs in as the web client's own sign-in leaves the browser (web/js/session.js): its
 * registered app ("partyline web", this origin's redirect) and a token of that app in
 * localStorage — obtained with the password grant instead of the pages, which
 * signInThroughPage and tests/browser/oauth.test.mjs go through. Then opens the home feed.
 */
export async function signIn(page, url, { email, password }) {
  if (!webApps.has(url)) {
    webApps.set(url, (async () => {
      const res = await fetch(`${url}/api/v1/apps`, {
        method: 'POST',
        body: new URLSearchParams({ client_name: 'partyline web', redirect_uris: `${url}/`, scopes: 'read write follow push', website: url }),
      });
      assert.equal(res.status, 200, 'the web client registers its app');
      return res.json();
    })());
  }
  const app = await webApps.get(url);
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password', client_id: app.client_id, client_secret: app.client_secret,
      redirect_uri: `${url}/`, username: email, password, scope: 'read write follow push',
    }),
  });
  const tok = await res.json();
  assert.equal(res.status, 200, `signing in ${email}: ${JSON.stringify(tok)}`);
  // The origin's storage is written before the client's first script runs, by a script the
  // page runs at the start of its next document (of this origin only), taken away once that
  // document has loaded: one navigation, where a first one to /health to write the storage
  // from cost a page load per sign-in. Later documents (a reload, a sign-out) run without it.
  const keep = { client_id: app.client_id, client_secret: app.client_secret, redirect: `${url}/` };
  const origin = new URL(url).origin;
  // a page on the client already (signed out, signing in as someone else) would only change
  // its hash: it leaves first, so that the next document is a new one
  if (page.url().startsWith(`${origin}/`)) await page.goto('about:blank');
  const seed = await page.addInitScript(([origin, keepJson, token]) => {
    if (location.origin !== origin) return;
    localStorage.setItem('partyline.app', keepJson);
    localStorage.setItem('partyline.token', token);
  }, [origin, JSON.stringify(keep), tok.access_token]);
  try {
    await page.goto(`${url}/#/home`);
  } finally {
    await seed.dispose();
  }
  await page.getByRole('list', { name: 'Home feed' }).waitFor({ state: 'attached' });
}

/** Saves a screenshot as tests/browser/screenshots/NAME.png. */
export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: false });
}

let axeSource;
/** Runs axe-core in the page; asserts no serious or critical violations. */
export async function assertAccessible(page, what) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // evaluate runs through the DevTools protocol, so the page's CSP does not block it; a
  // document checked before has it already (650 kB to send and compile again otherwise)
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(' ')}`), [],
    `accessibility violations on ${what}`);
}

/**
 * Opens the home composer from its "Share something…" (web/js/opener.js: a full-screen
 * dialog on a phone, inline on the desk) unless it is open already; answers the form.
 */
export async function openComposer(page) {
  const opener = page.locator('button.compose-opener');
  const open = page.locator('form.compose:not(.inline) textarea').filter({ visible: true });
  await opener.or(open).filter({ visible: true }).first().waitFor();
  if (!(await open.count())) await opener.click();
  await open.first().waitFor();
  return page.locator('form.compose:not(.inline)').filter({ has: page.locator('textarea:visible') }).first();
}

/** Signs out: from the avatar's menu in the phone's top bar, or the desk's left column. */
export async function signOut(page) {
  const toggle = page.getByRole('button', { name: 'Your account' });
  if (await toggle.isVisible()) {
    await toggle.click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
  } else {
    await page.locator('#nav').getByRole('button', { name: 'Sign out' }).click();
  }
}
