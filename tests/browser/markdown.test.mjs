// markdown.test.mjs — the composer's Markdown (issue 12, "Formatted posts"), end to end in
// chromium against a real server: "Format with Markdown" posts text/markdown, its Preview
// shows the server's own rendering before posting (and no script from the text runs), the
// person's default starts the box ticked, and an edit loads the post's own content type.
// Screenshots and axe for the form with its preview, on a phone and a desk.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, openComposer, PHONE, screenshot, signIn } from './browser.mjs';

const T = { timeout: 15_000 };
let srv;
let browser;
let ann;
let bob;

before(async () => {
  srv = await startServer();
  browser = await launch();
  ann = await registerUser(srv.url, uniqueName('ann'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  await bob.client.v1.accounts.$select(ann.account.id).follow();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const feed = (page) => page.getByRole('list', { name: 'Home feed' });
const text = (page) => page.getByLabel('What would you like to share?');

test('Format with Markdown: the preview is the server\'s rendering, and the post is made as it showed', async () => {
  for (const [size, name] of [[PHONE, 'compose-markdown-390'], [DESK, 'compose-markdown-1440']]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, ann);
    await openComposer(page);
    const box = page.getByLabel('Format with Markdown');
    await box.waitFor(T);
    assert.equal(await box.isChecked(), false, 'a person whose default is plain text starts unticked');
    assert.equal(await page.getByRole('button', { name: 'Preview' }).isVisible(), false, 'no preview for plain text');
    await box.check();
    const words = `**Ship it** on _Friday_ ${uniqueName('m')}\n\n- one\n- two\n\n<img src=x onerror="window.pwned=1">`;
    await text(page).fill(words);
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.locator('.compose .preview');
    await preview.locator('strong', { hasText: 'Ship it' }).waitFor(T);
    assert.equal(await preview.locator('em').textContent(), 'Friday');
    assert.equal(await preview.locator('li').count(), 2);
    assert.equal(await preview.locator('img').count(), 0, 'raw HTML shows as text');
    await screenshot(page, name);
    await assertAccessible(page, `compose form with a Markdown preview ${size.width}px`);
    const previewed = await preview.locator('.content').innerHTML();

    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const card = feed(page).getByRole('article').filter({ hasText: 'Ship it' }).first();
    await card.locator('strong', { hasText: 'Ship it' }).waitFor(T);
    assert.equal(await preview.isVisible(), false, 'the preview closes once posted');
    const id = await card.getAttribute('data-id');
    const st = (await raw(srv.url, `/api/v1/statuses/${id}`, { token: ann.token })).json;
    // (compared as the browser writes the same HTML back: it does not escape quotes in text)
    const posted = await page.evaluate((html) => { const d = document.createElement('div'); d.innerHTML = html; return d.innerHTML; }, st.content);
    assert.equal(posted, previewed, 'posted as previewed');
    const src = (await raw(srv.url, `/api/v1/statuses/${id}/source`, { token: ann.token })).json;
    assert.equal(src.content_type, 'text/markdown');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.deepEqual(page.problems, []);
    await page.context().close();
    await raw(srv.url, `/api/v1/statuses/${id}`, { method: 'DELETE', token: ann.token });
  }
});

test('the person\'s default ticks the box; an edit loads the post\'s own content type', async () => {
  const me = await bob.client.v1.accounts.updateCredentials({ source: { statusContentType: 'text/markdown' } });
  assert.equal(me.source.statusContentType, 'text/markdown');
  const plain = await bob.client.v1.statuses.create({ status: `*plain* ${uniqueName('p')}`, contentType: 'text/plain' });
  const page = await newPage(browser, DESK);
  await signIn(page, srv.url, bob);
  await openComposer(page);
  const box = page.getByLabel('Format with Markdown').first();
  await page.waitForFunction(() => document.querySelector('.compose input[id$="-md"]')?.checked, null, T);
  assert.equal(await box.isChecked(), true, 'starts from source.status_content_type');

  const card = feed(page).locator(`[data-id="${plain.id}"]`);
  await card.getByRole('button', { name: 'Edit' }).click();
  await page.waitForFunction(() => document.querySelector('.compose.inline textarea')?.value.startsWith('*plain*'), null, T);
  const editBox = page.locator('.compose.inline').getByLabel('Format with Markdown');
  assert.equal(await editBox.isChecked(), false, 'a plain post edits as plain text');
  await editBox.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await card.locator('em', { hasText: 'plain' }).waitFor(T);
  const src = (await raw(srv.url, `/api/v1/statuses/${plain.id}/source`, { token: bob.token })).json;
  assert.equal(src.content_type, 'text/markdown');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
