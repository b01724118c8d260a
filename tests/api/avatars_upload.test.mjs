// avatars_upload.test.mjs — uploaded avatars and headers: PATCH update_credentials' avatar and
// header files (methods/accounts#update_credentials), DELETE /api/v1/profile/avatar and
// /header (methods/profile, Mastodon 4.2), and the addresses Account.avatar and header then
// give. The rules: src/app/avatars.h; the picture: pictures/upload.h (upload_cover).
// Issue 13, item 1.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { binaryPath, expectHttpError, raw, registerUser, startServer, uniqueName } from './harness.mjs';

const run = promisify(execFile);

async function inTmp(fn) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-avup-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A picture made by libvips' command line: w×h of grey level `v`. */
const picture = (ext, w, h, v = 0) =>
  inTmp(async (dir) => {
    const black = path.join(dir, 'b.v');
    const file = path.join(dir, `p.${ext}`);
    await run('vips', ['black', black, String(w), String(h), '--bands', '3']);
    await run('vips', ['linear', black, file, '1', String(v), '--uchar']);
    return readFileSync(file);
  });

/** The width, height and type libvips reads in bytes. */
const dimensions = (bytes) =>
  inTmp(async (dir) => {
    const file = path.join(dir, 'x');
    writeFileSync(file, bytes);
    const out = async (f) => (await run('vipsheader', ['-f', f, file])).stdout.toString().trim();
    return { width: Number(await out('width')), height: Number(await out('height')) };
  });

/** Fetches a picture as an <img> does: no token. */
async function fetchPicture(address) {
  const res = await fetch(address);
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body: Buffer.from(await res.arrayBuffer()) };
}

/** The encrypted files in the folder backend. */
function storedFiles(srv) {
  const root = path.join(srv.dataDir, 'media');
  if (!existsSync(root)) return 0;
  let n = 0;
  for (const d of readdirSync(root)) if (d !== 'tmp' && /^[0-9a-f]{2}$/.test(d)) n += readdirSync(path.join(root, d)).length;
  return n;
}

/** A multipart body (raw() sends its `form` urlencoded). */
function formData(fields) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

const blob = (bytes, type = 'application/octet-stream') => new Blob([bytes], { type });

for (const store of ['folder', 'database']) {
  describe(`uploaded avatars and headers (media_store = ${store})`, () => {
    let server;
    let url;
    before(async () => {
      server = await startServer({ env: { PARTYLINE_MEDIA_STORE: store, PARTYLINE_AVATAR_MAX_BYTES: '300000' } });
      url = server.url;
    });
    after(async () => {
      await server?.stop();
    });

    test('an avatar and a header upload: 400×400 and 1500×500 at new addresses, served to anyone', async () => {
      const p = await registerUser(url, uniqueName('au'));
      const before = p.account;
      const files = storedFiles(server);
      const me = await p.client.v1.accounts.updateCredentials({
        avatar: blob(await picture('jpg', 900, 600, 200)),
        header: blob(await picture('png', 300, 300, 90)),
      });
      assert.notEqual(me.avatar, before.avatar, 'a new address for the avatar');
      assert.notEqual(me.header, before.header, 'a new address for the header');
      assert.match(me.avatar, /\/avatars\/\d+\/u[0-9a-f]+\.jpg$/);
      assert.match(me.header, /\/headers\/\d+\/u[0-9a-f]+\.png$/);
      assert.equal(me.avatarStatic, me.avatar);
      assert.equal(me.headerStatic, me.header);
      const av = await fetchPicture(me.avatar);
      assert.equal(av.status, 200);
      assert.equal(av.type, 'image/jpeg');
      assert.match(av.cache, /immutable/);
      assert.deepEqual(await dimensions(av.body), { width: 400, height: 400 }, 'cut to a square, shrunk');
      const hd = await fetchPicture(me.header);
      assert.equal(hd.status, 200);
      assert.equal(hd.type, 'image/png');
      assert.deepEqual(await dimensions(hd.body), { width: 1500, height: 500 }, 'filled to 3:1, enlarged');
      // everyone sees the new pictures
      const viewer = await registerUser(url, uniqueName('av'));
      const seen = await viewer.client.v1.accounts.$select(p.account.id).fetch();
      assert.equal(seen.avatar, me.avatar);
      assert.equal(seen.header, me.header);
      // the old (drawn) address is gone
      assert.equal((await fetchPicture(before.avatar)).status, 404);
      if (store === 'folder') assert.equal(storedFiles(server), files + 2, 'two files, encrypted in the store');
    });

    test('a replaced picture gets a new address and its old file goes; removing brings the default back', async () => {
      const p = await registerUser(url, uniqueName('ar'));
      const first = await p.client.v1.accounts.updateCredentials({ avatar: blob(await picture('png', 500, 500, 10)) });
      const files = storedFiles(server);
      const second = await p.client.v1.accounts.updateCredentials({ avatar: blob(await picture('webp', 410, 420, 250)) });
      assert.notEqual(second.avatar, first.avatar);
      assert.match(second.avatar, /\.webp$/);
      assert.equal((await fetchPicture(first.avatar)).status, 404, 'the old address');
      const now = await fetchPicture(second.avatar);
      assert.equal(now.type, 'image/webp');
      assert.deepEqual(await dimensions(now.body), { width: 400, height: 400 });
      if (store === 'folder') assert.equal(storedFiles(server), files, 'the old file is deleted');

      const cleared = await raw(url, '/api/v1/profile/avatar', { method: 'DELETE', token: p.token });
      assert.equal(cleared.status, 200);
      assert.match(cleared.json.avatar, /\/avatars\/\d+\/d[0-9a-f]+\.png$/, 'the drawn default');
      assert.equal(typeof cleared.json.source, 'object', 'a CredentialAccount');
      assert.equal((await fetchPicture(second.avatar)).status, 404);
      assert.equal((await fetchPicture(cleared.json.avatar)).status, 200);
      if (store === 'folder') assert.equal(storedFiles(server), files - 1, 'no file left behind');
      // nothing to remove: still 200
      assert.equal((await raw(url, '/api/v1/profile/avatar', { method: 'DELETE', token: p.token })).status, 200);

      const withHeader = await p.client.v1.accounts.updateCredentials({ header: blob(await picture('gif', 100, 100, 40)) });
      assert.match(withHeader.header, /\.png$/, 'a GIF header becomes a PNG');
      const h = await raw(url, '/api/v1/profile/header', { method: 'DELETE', token: p.token });
      assert.equal(h.status, 200);
      assert.match(h.json.header, /\/headers\/\d+\/d\d+\.png$/);
      if (store === 'folder') assert.equal(storedFiles(server), files - 1);
      // without a token: 401
      assert.equal((await raw(url, '/api/v1/profile/header', { method: 'DELETE' })).status, 401);
    });

    test('a bad file is refused with 422 and nothing changes, the name sent with it included', async () => {
      const p = await registerUser(url, uniqueName('ab'));
      const files = storedFiles(server);
      const big = await picture('png', 2000, 2000, 0);
      const noisy = await inTmp(async (dir) => {
        // a PNG larger than avatar_max_bytes (300000): noise does not compress
        const f = path.join(dir, 'n.png');
        await run('vips', ['gaussnoise', path.join(dir, 'g.v'), '600', '600']);
        await run('vips', ['cast', path.join(dir, 'g.v'), f, 'uchar']);
        return readFileSync(f);
      });
      assert.ok(noisy.length > 300000, `the noise is ${noisy.length} bytes`);
      const cases = [
        ['text', blob(Buffer.from('hello, not a picture'), 'image/png'), /PNG, GIF, JPEG or WebP/],
        ['a PDF', blob(Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')), /PNG, GIF, JPEG or WebP/],
        ['a damaged PNG', blob(big.subarray(0, 200)), /damaged|could not be read/],
        ['too large', blob(noisy), /file size must be less than/],
      ];
      for (const [what, file, re] of cases) {
        const err = await expectHttpError(
          p.client.v1.accounts.updateCredentials({ displayName: 'Changed Name', avatar: file }),
          422,
          re,
          what,
        );
        assert.ok(err);
        const me = await p.client.v1.accounts.verifyCredentials();
        assert.equal(me.displayName, p.account.displayName, `${what}: the name did not change`);
        assert.equal(me.avatar, p.account.avatar, `${what}: nor the avatar`);
      }
      const hdr = await raw(url, '/api/v1/accounts/update_credentials', {
        method: 'PATCH',
        token: p.token,
        body: formData({ note: 'new note', header: new File([Buffer.from('GIF89a nothing')], 'h.gif', { type: 'image/gif' }) }),
      });
      assert.equal(hdr.status, 422);
      assert.match(hdr.json.error, /^Validation failed: Header /);
      assert.equal((await p.client.v1.accounts.verifyCredentials()).note, p.account.note);
      if (store === 'folder') assert.equal(storedFiles(server), files, 'no file kept');
    });

    test('too many pixels: 422 before decoding', async () => {
      const p = await registerUser(url, uniqueName('ap'));
      // 8000×8000 of one colour: a small PNG, 64 million pixels (media_max_pixels is 33177600)
      const huge = await picture('png', 8000, 8000, 0);
      await expectHttpError(p.client.v1.accounts.updateCredentials({ avatar: blob(huge) }), 422, /pixels/);
    });

    test('a body beyond avatar and header room is 413', async () => {
      const p = await registerUser(url, uniqueName('a4'));
      const res = await raw(url, '/api/v1/accounts/update_credentials', {
        method: 'PATCH',
        token: p.token,
        body: formData({ avatar: new File([Buffer.alloc(2 * 300000 + (1 << 20) + (64 << 10))], 'a.png') }),
      });
      assert.equal(res.status, 413);
    });

    test("a disabled account's uploaded pictures are not found", async () => {
      // never loaded by a loop before it is disabled (verify: false, and the upload answers from
      // a worker), so that no loop's cache holds it: the CLI writes behind the server's back
      const p = await registerUser(url, uniqueName('ad'), { verify: false });
      const me = await p.client.v1.accounts.updateCredentials({ avatar: blob(await picture('png', 50, 50, 100)) });
      assert.match(me.avatar, /\/u[0-9a-f]+\.png$/);
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
      Object.assign(env, server.cliEnv);
      await run(binaryPath(), ['admin', 'disable-user', '--data', server.dataDir, '--username', p.username], { env });
      const r = await raw(url, new URL(me.avatar).pathname);
      assert.equal(r.status, 404);
      assert.equal(typeof r.json.error, 'string');
    });
  });
}

describe("a channel's avatar and header (PATCH /api/v1/partyline/channels/:id, multipart)", () => {
  const CH = '/api/v1/partyline/channels';
  let server;
  let url;
  before(async () => {
    server = await startServer();
    url = server.url;
  });
  after(async () => {
    await server?.stop();
  });

  test('its moderators set and remove them; a member or a stranger gets 403 and nothing changes', async () => {
    const [owner, mod, member, stranger] = await Promise.all(['co', 'cm', 'cb', 'cs'].map((p) => registerUser(url, uniqueName(p))));
    const made = await raw(url, CH, { method: 'POST', token: owner.token, json: { name: uniqueName('pics'), display_name: 'Pictures' } });
    assert.equal(made.status, 200, made.text);
    const ch = made.json;
    for (const p of [mod, member]) assert.equal((await raw(url, `${CH}/${ch.id}/join`, { method: 'POST', token: p.token })).status, 200);
    assert.equal((await raw(url, `${CH}/${ch.id}/members/${mod.account.id}`, { method: 'PUT', token: owner.token, json: { role: 'moderator' } })).status, 200);

    for (const who of [member, stranger]) {
      const r = await raw(url, `${CH}/${ch.id}`, {
        method: 'PATCH',
        token: who.token,
        body: formData({ display_name: 'Taken over', avatar: new File([await picture('png', 64, 64, 10)], 'a.png') }),
      });
      assert.equal(r.status, 403, r.text);
      assert.match(r.json.error, /moderators/);
      assert.equal((await raw(url, `${CH}/${ch.id}/avatar`, { method: 'DELETE', token: who.token })).status, 403);
    }
    const still = await raw(url, `${CH}/${ch.id}`, { token: owner.token });
    assert.equal(still.json.account.avatar, ch.account.avatar);
    assert.equal(still.json.display_name, 'Pictures');

    const set = await raw(url, `${CH}/${ch.id}`, {
      method: 'PATCH',
      token: mod.token,
      body: formData({
        avatar: new File([await picture('jpg', 300, 200, 120)], 'a.jpg'),
        header: new File([await picture('png', 600, 200, 60)], 'h.png'),
      }),
    });
    assert.equal(set.status, 200, set.text);
    assert.match(set.json.account.avatar, /\/avatars\/\d+\/u[0-9a-f]+\.jpg$/);
    assert.match(set.json.account.header, /\/headers\/\d+\/u[0-9a-f]+\.png$/);
    assert.deepEqual(await dimensions((await fetchPicture(set.json.account.avatar)).body), { width: 400, height: 400 });
    assert.deepEqual(await dimensions((await fetchPicture(set.json.account.header)).body), { width: 1500, height: 500 });
    // Mastodon apps see the group account's pictures
    const asAccount = await stranger.client.v1.accounts.$select(ch.id).fetch();
    assert.equal(asAccount.avatar, set.json.account.avatar);

    const bad = await raw(url, `${CH}/${ch.id}`, {
      method: 'PATCH',
      token: mod.token,
      body: formData({ note: 'changed', avatar: new File([Buffer.from('not a picture')], 'a.png') }),
    });
    assert.equal(bad.status, 422);
    assert.match(bad.json.error, /Avatar/);

    const removed = await raw(url, `${CH}/${ch.id}/avatar`, { method: 'DELETE', token: owner.token });
    assert.equal(removed.status, 200, removed.text);
    assert.match(removed.json.account.avatar, /\/d[0-9a-f]+\.png$/);
    assert.equal(removed.json.account.header, set.json.account.header, 'the header stays');
    assert.equal((await fetchPicture(set.json.account.avatar)).status, 404);
  });
});
