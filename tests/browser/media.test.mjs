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
import { halves, mp4, noisy, solid, wav } from './pictures.mjs';
import { assertAccessible, DESK, launch, newPage, openComposer, PHONE, screenshot, signIn } from './browser.mjs';

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
      const form = await openComposer(page);

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
      // (the card may come by the stream before the POST's answer: wait for the form)
      await page.waitForFunction(() => !document.querySelector('form.compose .attachment'), null, T);
      const id = await card.getAttribute('data-id');
      const st = (await raw(srv.url, `/api/v1/statuses/${id}`, { token: ann.token })).json;
      assert.deepEqual(st.media_attachments.map((m) => m.description), ['Static, as on an old television', 'Red beside blue']);
      assert.equal(st.content, '');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });
});

/** Waits until every picture of the card has loaded (its tile marked so). */
async function picturesLoaded(card) {
  await card.locator('.media-tile').first().waitFor(T);
  await card.page().waitForFunction((el) => [...el.querySelectorAll('.media-tile')].every((t) => t.classList.contains('loaded')),
    await card.elementHandle(), T);
}

test('on a touch screen the camera is offered: a picture input with capture', async () => {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signIn(page, srv.url, ann);
  const form = await openComposer(page);
  const snap = form.getByRole('button', { name: 'Take a photo' });
  await snap.waitFor(T);
  const input = form.locator('input[type="file"][capture]');
  assert.equal(await input.getAttribute('accept'), 'image/*');
  assert.equal(await input.getAttribute('capture'), 'environment');
  const chooser = page.waitForEvent('filechooser');
  await snap.click();
  const c = await chooser;
  assert.equal(c.isMultiple(), false);
  await c.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: solid([90, 90, 20]) });
  await form.locator('.attachment-thumb img').waitFor(T);
  await form.getByRole('button', { name: 'Remove photo.png' }).click();
  await context.close();

  const desk = await newPage(browser, DESK);
  await signIn(desk, srv.url, ann);
  await openComposer(desk);
  await composer(desk).getByRole('button', { name: 'Add pictures or files' }).waitFor(T);
  assert.equal(await composer(desk).getByRole('button', { name: 'Take a photo' }).isVisible(), false, 'no camera button with a mouse');
  await desk.context().close();
});

describe('pictures in posts', () => {
  const colours = [[200, 40, 40], [40, 160, 60], [40, 70, 200], [230, 200, 40]];
  let posts;
  before(async () => {
    posts = {};
    for (const n of [1, 2, 4]) {
      const ids = [];
      for (let i = 0; i < n; i++) {
        const bytes = i === 0 ? halves(colours[0], colours[3], 160, 100) : solid(colours[i], 120, 80);
        ids.push((await upload(ann, bytes, { name: `p${i}.png`, description: `Picture ${i + 1} of ${n}` })).id);
      }
      posts[n] = await post(ann, { status: `${n} pictures ${uniqueName('g')}`, media_ids: ids, visibility: 'public' });
    }
  });

  test('a grid of 1, 2 and 4 with a BlurHash painted until the picture loads; alt text as alt and behind ALT', async () => {
    for (const [size, tag] of [[DESK, '1440'], [PHONE, '390']]) {
      const page = await newPage(browser, size);
      // hold the pictures back: the BlurHash must be there meanwhile
      const held = [];
      await page.route('**/media/**', (route) => { held.push(route); });
      await signIn(page, srv.url, bob);
      const card = feed(page).locator(`[data-id="${posts[2].id}"]`);
      await card.locator('.media-grid.n2').waitFor(T);
      const before = await card.locator('.media-tile').evaluateAll((tiles) => tiles.map((t) => {
        const c = t.querySelector('canvas.blurhash');
        const px = c.getContext('2d').getImageData(16, 16, 1, 1).data;
        return { loaded: t.classList.contains('loaded'), canvas: !c.hidden, alpha: px[3], rgb: [px[0], px[1], px[2]] };
      }));
      for (const t of before) {
        assert.equal(t.loaded, false, 'the picture has not arrived');
        assert.equal(t.canvas, true, 'the BlurHash stands in');
        assert.equal(t.alpha, 255, 'the BlurHash is painted');
      }
      // the second picture is a solid colour: its BlurHash is that colour
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(before[1].rgb[c] - colours[1][c]) <= 6, `${before[1].rgb} ~ ${colours[1]}`);
      await page.unroute('**/media/**');
      for (const r of held) await r.continue().catch(() => {});
      await picturesLoaded(card);
      assert.deepEqual(await card.locator('.media-tile img').evaluateAll((l) => l.map((i) => i.alt)), ['Picture 1 of 2', 'Picture 2 of 2']);
      assert.equal(await card.locator('.alt-text').first().isVisible(), false);
      await card.getByRole('button', { name: 'ALT' }).first().click();
      assert.equal(await card.locator('.alt-text').first().textContent(), 'Picture 1 of 2');
      assert.equal(await card.getByRole('button', { name: 'ALT' }).first().getAttribute('aria-expanded'), 'true');

      for (const n of [1, 2, 4]) {
        const c = feed(page).locator(`[data-id="${posts[n].id}"]`);
        assert.equal(await c.locator(`.media-grid.n${n} .media-tile`).count(), n);
        await picturesLoaded(c);
        await c.scrollIntoViewIfNeeded();
        await c.evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await screenshot(page, `media-post-${n}-${tag}`);
      }
      await assertAccessible(page, `posts with pictures ${tag}px`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });

  test('the BlurHash decoded in the page has the average colour of the picture', async () => {
    const page = await newPage(browser, DESK);
    await signIn(page, srv.url, bob);
    const card = feed(page).locator(`[data-id="${posts[1].id}"]`);
    await picturesLoaded(card);
    // the picture's own average and that of the BlurHash placeholder the page painted under
    // it (the client's decoder, as people see it), both in linear light
    const got = await card.locator('.media-tile').first().evaluate(async (tile) => {
      const toLin = (v) => { const x = v / 255; return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
      const toSrgb = (v) => Math.round((v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055) * 255);
      const mean = (px) => {
        const sum = [0, 0, 0];
        for (let i = 0; i < px.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += toLin(px[i + c]);
        return sum.map((x) => toSrgb(x / (px.length / 4)));
      };
      const img = tile.querySelector('img');
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const placeholder = tile.querySelector('canvas.blurhash');
      const painted = placeholder.getContext('2d').getImageData(0, 0, placeholder.width, placeholder.height).data;
      return { picture: mean(ctx.getImageData(0, 0, c.width, c.height).data), hash: mean(painted) };
    });
    // half one colour, half the other: the average in linear light
    const lin = (v) => ((v / 255 + 0.055) / 1.055) ** 2.4;
    const srgb = (v) => Math.round((1.055 * v ** (1 / 2.4) - 0.055) * 255);
    const expected = [0, 1, 2].map((c) => srgb((lin(colours[0][c]) + lin(colours[3][c])) / 2));
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(got.picture[c] - expected[c]) <= 3, `picture ${got.picture} ~ ${expected}`);
      assert.ok(Math.abs(got.hash[c] - got.picture[c]) <= 8, `BlurHash ${got.hash} ~ picture ${got.picture}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the viewer: opens on the picture, moves with the arrow keys and a swipe, closes with Escape, focus back', async () => {
    for (const [size, tag] of [[DESK, '1440'], [{ ...PHONE, touch: true }, '390']]) {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, hasTouch: !!size.touch });
      const page = await context.newPage();
      const problems = [];
      page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      await signIn(page, srv.url, bob);
      const card = feed(page).locator(`[data-id="${posts[4].id}"]`);
      await picturesLoaded(card);
      const second = card.getByRole('button', { name: /^View picture 2 of 4/ });
      await second.click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor(T);
      const shown = () => page.locator('dialog.viewer .viewer-img').getAttribute('alt');
      assert.equal(await shown(), 'Picture 2 of 4');
      assert.equal(await page.locator('.viewer-count').textContent(), '2 of 4');
      assert.equal(await page.locator('.viewer-caption').textContent(), 'Picture 2 of 4');
      await page.waitForFunction(() => document.querySelector('.viewer-img')?.classList.contains('loaded'), null, T);
      assert.match(await page.locator('.viewer-img').getAttribute('src'), /\/original\?/, 'the original, not the preview');
      await screenshot(page, `media-viewer-${tag}`);
      await assertAccessible(page, `the picture viewer ${tag}px`);
      await page.keyboard.press('ArrowRight');
      assert.equal(await shown(), 'Picture 3 of 4');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await shown(), 'Picture 1 of 4');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await shown(), 'Picture 4 of 4', 'it wraps around');
      // a swipe to the left shows the next picture
      await page.locator('dialog.viewer').evaluate((d) => {
        const touch = (x) => new Touch({ identifier: 1, target: d, clientX: x, clientY: 300 });
        d.dispatchEvent(new TouchEvent('touchstart', { touches: [touch(300)], changedTouches: [touch(300)], bubbles: true }));
        d.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: [touch(120)], bubbles: true }));
      });
      assert.equal(await shown(), 'Picture 1 of 4');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', ...T });
      assert.equal(await second.evaluate((b) => b === document.activeElement), true, 'focus is back on the picture that opened it');
      assert.deepEqual(problems, []);
      await context.close();
    }
  });
});

describe('other files', () => {
  test('a document is a card with its name, size and a download; video and sound have controls and load nothing first', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const doc = await upload(ann, pdf, { name: 'Quarterly report.pdf', type: 'application/pdf', description: 'The numbers for Q3' });
    const video = await upload(ann, mp4(), { name: 'demo.mp4', type: 'video/mp4', description: 'A demo of the new build' });
    const sound = await upload(ann, wav(), { name: 'hello.wav', type: 'audio/wav' });
    const st = await post(ann, { status: `files ${uniqueName('f')}`, media_ids: [video.id, sound.id, doc.id], visibility: 'public' });
    for (const [size, tag] of [[DESK, '1440'], [PHONE, '390']]) {
      const page = await newPage(browser, size);
      await signIn(page, srv.url, bob);
      const card = feed(page).locator(`[data-id="${st.id}"]`);
      const file = card.locator('.file-card');
      await file.waitFor(T);
      assert.equal(await file.locator('.file-name').textContent(), 'Quarterly report.pdf');
      assert.equal(await file.locator('.file-size').textContent(), `${pdf.length} bytes · application/pdf`);
      assert.equal(await file.locator('.file-desc').textContent(), 'The numbers for Q3');
      const v = card.locator('video');
      assert.equal(await v.getAttribute('preload'), 'none');
      assert.equal(await v.evaluate((el) => el.controls), true);
      assert.equal(await v.getAttribute('aria-label'), 'A demo of the new build');
      const a = card.locator('audio');
      assert.equal(await a.getAttribute('preload'), 'none');
      assert.equal(await a.evaluate((el) => el.controls), true);
      await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await screenshot(page, `media-file-card-${tag}`);
      await assertAccessible(page, `a post with a video, a sound and a document ${tag}px`);

      const download = page.waitForEvent('download');
      await file.getByRole('link', { name: `Download Quarterly report.pdf (${pdf.length} bytes)` }).click();
      const d = await download;
      assert.equal(d.suggestedFilename(), 'Quarterly report.pdf');
      const chunks = [];
      for await (const c of await d.createReadStream()) chunks.push(c);
      assert.deepEqual(Buffer.concat(chunks), pdf, 'the bytes as uploaded');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });
});

describe('alt text and file names are text', () => {
  const payloads = [
    '<img src=x onerror="window.pwned=1;alert(1)">',
    '<script>window.pwned=2;alert(2)</script>',
    'javascript:window.pwned=3',
    '" onmouseover="window.pwned=4" x="',
    "' autofocus onfocus='window.pwned=5' '",
    '</p><svg onload=alert(6)>',
  ];

  test('every payload shows as written: in the grid, behind ALT, in the viewer, on a card and in the composer', async () => {
    const ids = [];
    for (const [i, p] of payloads.slice(0, 4).entries()) ids.push((await upload(ann, solid([10 * i, 90, 90]), { name: `${p}.png`, description: p })).id);
    const st = await post(ann, { status: `payloads ${uniqueName('x')}`, media_ids: ids, visibility: 'public' });
    const doc = await upload(ann, Buffer.from('just text\n'), { name: payloads[3] + payloads[0], type: 'text/plain', description: payloads[5] });
    const st2 = await post(ann, { status: `payload file ${uniqueName('x')}`, media_ids: [doc.id], visibility: 'public' });
    for (const m of [...st.media_attachments, ...st2.media_attachments]) {
      assert.ok(payloads.includes(m.description), `kept as written: ${m.description}`);
    }

    const page = await newPage(browser, DESK);
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; d.dismiss().catch(() => {}); });
    await signIn(page, srv.url, bob);
    const card = feed(page).locator(`[data-id="${st.id}"]`);
    await picturesLoaded(card);
    assert.deepEqual(await card.locator('.media-tile img').evaluateAll((l) => l.map((i) => i.alt)), payloads.slice(0, 4));
    for (const badge of await card.getByRole('button', { name: 'ALT' }).all()) await badge.click();
    assert.deepEqual(await card.locator('.alt-text').allTextContents(), payloads.slice(0, 4));
    for (const badge of await card.getByRole('button', { name: 'ALT' }).all()) await badge.click();
    assert.equal(await card.locator('.alt-text:visible').count(), 0, 'ALT again hides it');
    await card.getByRole('button', { name: /^View picture 1 of 4/ }).click();
    for (const p of payloads.slice(0, 4)) {
      assert.equal(await page.locator('.viewer-caption').textContent(), p);
      await page.keyboard.press('ArrowRight');
    }
    await page.keyboard.press('Escape');
    const file = feed(page).locator(`[data-id="${st2.id}"] .file-card`);
    assert.equal(await file.locator('.file-name').textContent(), st2.media_attachments[0].partyline.file_name);
    assert.equal(await file.locator('.file-desc').textContent(), payloads[5]);
    assert.equal(await file.getByRole('link', { name: /^Download/ }).getAttribute('download'), st2.media_attachments[0].partyline.file_name);

    // the thread view draws the same cards
    await page.goto(`${srv.url}/#/status/${st.id}`);
    await page.locator('.status.focus .media-tile img').first().waitFor(T);

    // and the composer shows a file's name as text, with a payload as alt text
    await page.goto(`${srv.url}/#/home`);
    await openComposer(page);
    const chooser = page.waitForEvent('filechooser');
    await composer(page).getByRole('button', { name: 'Add pictures or files' }).click();
    await (await chooser).setFiles({ name: `${payloads[0]}.png`, mimeType: 'image/png', buffer: solid([1, 2, 3]) });
    await composer(page).locator('.attachment-thumb img').waitFor(T);
    assert.equal(await composer(page).locator('.attachment-name').textContent(), `${payloads[0]}.png`);
    await composer(page).getByRole('textbox', { name: /^Alt text for/ }).fill(payloads[1]);
    const words = `mine ${uniqueName('x')}`;
    await composer(page).locator('textarea').fill(words);
    await composer(page).getByRole('button', { name: 'Post', exact: true }).click();
    const mine = feed(page).getByRole('article').filter({ hasText: words });
    await picturesLoaded(mine);
    assert.equal(await mine.locator('.media-tile img').getAttribute('alt'), payloads[1]);

    assert.equal(await page.locator('body img[src="x"], body script, body svg[onload]').count(), 0, 'no payload became an element');
    assert.equal(await page.evaluate(() => window.pwned), undefined, 'no payload ran');
    assert.equal(dialogs, 0, 'no alert');
    assert.deepEqual(page.problems, [], 'no console error or CSP violation');
    await page.context().close();
  });
});

describe('audience', () => {
  test('a private post\'s picture shows to a follower and never loads for a stranger', async () => {
    const m = await upload(ann, solid([120, 30, 160]), { description: 'Private diagram' });
    const st = await post(ann, { status: `followers only ${uniqueName('p')}`, media_ids: [m.id], visibility: 'private' });

    const friend = await newPage(browser, DESK);
    await signIn(friend, srv.url, bob);
    const card = feed(friend).locator(`[data-id="${st.id}"]`);
    await picturesLoaded(card);
    const url = await card.locator('.media-tile img').getAttribute('src');
    await friend.context().close();

    const page = await newPage(browser, DESK);
    await signIn(page, srv.url, eve);
    await page.goto(`${srv.url}/#/status/${st.id}`);
    await page.getByText(/does not exist|not found|cannot see/i).first().waitFor(T);
    assert.equal(await page.locator('.media-tile').count(), 0, 'no picture in the stranger\'s view');
    // with the stranger's own token the address is decided for the stranger; without its
    // signature it is no address at all
    const probe = await page.evaluate(async ({ url, token }) => {
      const withToken = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      const bare = new URL(url, location.href);
      bare.search = '';
      const img = new Image();
      img.src = bare.href;
      const loaded = await new Promise((resolve) => { img.onload = () => resolve(true); img.onerror = () => resolve(false); });
      return { withToken: withToken.status, loaded };
    }, { url, token: eve.token });
    assert.equal(probe.withToken, 404);
    assert.equal(probe.loaded, false);
    await page.context().close();
  });
});

describe('editing', () => {
  test('an edit keeps a file, changes its alt text, drops another and adds a new one', async () => {
    const a = await upload(ann, solid([200, 0, 0]), { name: 'first.png', description: 'first' });
    const b = await upload(ann, solid([0, 200, 0]), { name: 'second.png', description: 'second' });
    const st = await post(ann, { status: `to edit ${uniqueName('e')}`, media_ids: [a.id, b.id], visibility: 'public' });
    const page = await newPage(browser, DESK);
    await signIn(page, srv.url, ann);
    const card = feed(page).locator(`[data-id="${st.id}"]`);
    await card.getByRole('button', { name: 'Edit' }).click();
    const form = page.locator('.compose.inline');
    await form.getByLabel('Alt text for first.png').waitFor(T);
    assert.equal(await form.getByLabel('Alt text for second.png').inputValue(), 'second');
    await form.getByRole('button', { name: 'Remove first.png' }).click();
    await form.getByLabel('Alt text for second.png').fill('second, described better');
    const chooser = page.waitForEvent('filechooser');
    await form.getByRole('button', { name: 'Add pictures or files' }).click();
    await (await chooser).setFiles({ name: 'third.png', mimeType: 'image/png', buffer: solid([0, 0, 200]) });
    await form.getByLabel('Alt text for third.png').fill('third');
    await form.locator('.attachment-thumb img').nth(1).waitFor(T);
    await form.getByRole('button', { name: 'Save' }).click();
    await card.locator('img[alt="third"]').waitFor(T);
    const got = (await raw(srv.url, `/api/v1/statuses/${st.id}`, { token: ann.token })).json;
    assert.deepEqual(got.media_attachments.map((m) => m.description), ['second, described better', 'third']);
    assert.equal(got.media_attachments[0].id, b.id, 'the kept file is the same file');
    const gone = await fetch(new URL(a.url, srv.url), { headers: { Authorization: `Bearer ${ann.token}` } });
    assert.equal(gone.status, 404, 'the dropped file is deleted');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('limits', () => {
  let small;
  let carl;
  before(async () => {
    small = await startServer({ env: { PARTYLINE_MAX_MEDIA_ATTACHMENTS: '2', PARTYLINE_MEDIA_PICTURE_MAX_BYTES: '100000', PARTYLINE_MEDIA_FILE_MAX_BYTES: '300000' } });
    carl = await registerUser(small.url, uniqueName('carl'));
  });
  after(() => small?.stop());

  test('the instance\'s count and sizes are said before uploading; the server\'s 413 and 422 in its own words', async () => {
    const page = await newPage(browser, PHONE);
    await signIn(page, small.url, carl);
    const form = await openComposer(page);
    const pick = form.getByRole('button', { name: 'Add pictures or files' });
    const choose = async (files) => {
      const chooser = page.waitForEvent('filechooser');
      await pick.click();
      await (await chooser).setFiles(files);
    };
    const alert = form.locator('.attach-error');

    // a picture over the picture limit (100 KB here) is refused before it is sent
    await choose({ name: 'big.png', mimeType: 'image/png', buffer: noisy(200, 200) });
    await alert.waitFor(T);
    assert.match(await alert.textContent(), /big\.png is 120 KB: pictures may be at most 100 KB\./);
    assert.equal(await form.locator('.attachment').count(), 0);

    // a damaged picture: the server's 422, in its words
    const broken = Buffer.concat([solid([1, 1, 1]).subarray(0, 40), Buffer.alloc(200, 7)]);
    await choose({ name: 'broken.png', mimeType: 'image/png', buffer: broken });
    const failed = form.locator('.attachment.failed');
    await failed.waitFor(T);
    const said = await failed.locator('.attachment-status').textContent();
    assert.match(said, /^Not uploaded: the PNG picture could not be read/, 'the server\'s own words');
    // posting with a failed file is stopped with a reason
    await form.locator('textarea').fill('with a broken file');
    await form.getByRole('button', { name: 'Post', exact: true }).click();
    await form.getByText(/could not be uploaded: remove it/).waitFor(T);
    await form.getByRole('button', { name: 'Remove broken.png' }).click();

    // a picture the browser did not call one (no type): the file limit lets it go, the server
    // finds a picture over the picture limit and answers 413
    await choose({ name: 'mystery.bin', mimeType: '', buffer: noisy(200, 200) });
    await form.locator('.attachment.failed').waitFor(T);
    const said413 = await form.locator('.attachment.failed .attachment-status').textContent();
    assert.match(said413, /^Not uploaded: the picture has \d+ bytes: at most 100000 are accepted/);
    await form.getByRole('button', { name: 'Remove mystery.bin' }).click();

    // three at once where two may go
    await choose([
      { name: 'a.png', mimeType: 'image/png', buffer: solid([1, 2, 3]) },
      { name: 'b.png', mimeType: 'image/png', buffer: solid([4, 5, 6]) },
      { name: 'c.png', mimeType: 'image/png', buffer: solid([7, 8, 9]) },
    ]);
    await page.waitForFunction(() => document.querySelectorAll('.attachment').length === 2, null, T);
    assert.match(await alert.textContent(), /A post can have at most 2 files; c\.png was not added\./);
    assert.equal(await pick.isDisabled(), true, 'no more files once full');
    assert.deepEqual(page.problems.filter((p) => !/status of 4(13|22)/.test(p)), []);
    await page.context().close();
  });
});
