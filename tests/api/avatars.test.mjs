// avatars.test.mjs — src/api/mastodon/avatars.c and app/avatars.c: every account's avatar and
// header address (as masto.js reads them) answers a PNG of the size apps expect — the
// person's initials on a colour of their own, a plain header — without a token, cacheable for
// ever; the address changes when the initials do; a missing or disabled account's pictures
// are 404 with a JSON error. Issue 11, item 1.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { binaryPath, raw, registerUser, startServer, uniqueName } from './harness.mjs';

const run = promisify(execFile);

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

/** Fetches a picture as an <img> does: no Authorization. */
async function picture(address, headers = {}) {
  const res = await fetch(address, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body };
}

/** The width, height and top-left pixel (RGB) of an 8-bit RGB PNG. */
function readPng(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  let off = 8;
  let width, height, depth, colour;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') [width, height, depth, colour] = [data.readUInt32BE(0), data.readUInt32BE(4), data[8], data[9]];
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  assert.equal(depth, 8);
  assert.equal(colour, 2, 'RGB');
  // the first pixel of the first row is its own value under every PNG filter
  const raw0 = inflateSync(Buffer.concat(idat));
  return { width, height, corner: [raw0[1], raw0[2], raw0[3]] };
}

function contrastWithWhite([r, g, b]) {
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return 1.05 / (l + 0.05);
}

describe('avatars and headers (issue 11 item 1)', () => {
  test('an account\'s avatar is a 400×400 PNG of its own colour, its header a 1500×500 PNG, loaded without a token', async () => {
    const ada = await registerUser(url, uniqueName('av'));
    const bob = await registerUser(url, uniqueName('av'));
    await ada.client.v1.accounts.updateCredentials({ displayName: 'Ada Lovelace' });
    const me = await ada.client.v1.accounts.verifyCredentials();
    assert.match(me.avatar, new RegExp(`^${url}/avatars/${me.id}/[0-9a-z]+\\.png$`));
    assert.equal(me.avatarStatic, me.avatar);
    assert.match(me.header, new RegExp(`^${url}/headers/${me.id}/[0-9a-z]+\\.png$`));
    assert.equal(me.headerStatic, me.header);

    const av = await picture(me.avatar);
    assert.equal(av.status, 200);
    assert.equal(av.headers.get('content-type'), 'image/png');
    assert.match(av.headers.get('etag') ?? '', /^".+"$/);
    assert.match(av.headers.get('cache-control') ?? '', /max-age=\d{6,}/);
    const png = readPng(av.body);
    assert.deepEqual([png.width, png.height], [400, 400]);
    assert.ok(contrastWithWhite(png.corner) >= 4.5, `white initials read on ${png.corner}`);

    // served again (from the cache, on the loop): the same bytes
    const again = await picture(me.avatar);
    assert.deepEqual(again.body, av.body);
    assert.equal(again.headers.get('etag'), av.headers.get('etag'));

    // an app that has it asks with its ETag: 304 and no bytes; a stale ETag gets the picture
    const cached = await picture(me.avatar, { 'if-none-match': av.headers.get('etag') });
    assert.equal(cached.status, 304);
    assert.equal(cached.body.length, 0);
    assert.equal(cached.headers.get('etag'), av.headers.get('etag'));
    const stale = await picture(me.avatar, { 'if-none-match': '"a0-stale"' });
    assert.equal(stale.status, 200);
    assert.deepEqual(stale.body, av.body);

    // another person: another colour, seen wherever accounts are (here: their status)
    const post = await bob.client.v1.statuses.create({ status: 'hello', visibility: 'public' });
    const other = readPng((await picture(post.account.avatar)).body);
    assert.notDeepEqual(other.corner, png.corner, 'two people, two colours');

    const header = await picture(me.header);
    assert.equal(header.status, 200);
    assert.equal(header.headers.get('content-type'), 'image/png');
    const h = readPng(header.body);
    assert.deepEqual([h.width, h.height], [1500, 500]);
  });

  test('the address changes with the initials, and the old one is gone; a token changes nothing', async () => {
    const p = await registerUser(url, uniqueName('av'));
    const before = await p.client.v1.accounts.updateCredentials({ displayName: 'Grace Hopper' });
    const same = await p.client.v1.accounts.updateCredentials({ displayName: 'Grace M. Hopper' });
    assert.equal(same.avatar, before.avatar, 'same initials (G, H), same picture');
    const after = await p.client.v1.accounts.updateCredentials({ displayName: 'Margaret Hamilton' });
    assert.notEqual(after.avatar, before.avatar);
    assert.equal(after.header, before.header, 'the header shows no name');
    const fresh = await picture(after.avatar);
    assert.equal(fresh.status, 200);
    const old = await raw(url, new URL(before.avatar).pathname);
    assert.equal(old.status, 404);
    assert.equal(typeof old.json.error, 'string');
    // a token sent along (an app that sends it everywhere) is ignored, whatever its scopes
    const withToken = await picture(after.avatar, { Authorization: `Bearer ${p.token}` });
    assert.equal(withToken.status, 200);
    assert.deepEqual(withToken.body, fresh.body);
  });

  test('a missing account, a malformed address, a disabled account: 404 with a JSON error', async () => {
    const viewer = await registerUser(url, uniqueName('av'));
    // never loaded by the server before it is disabled (verify: false), so that no loop holds
    // it from before: the CLI writes the database behind the server's back
    const p = await registerUser(url, uniqueName('av'), { verify: false });
    for (const bad of ['/avatars/1/d0.png', '/avatars/abc/d1.png', '/headers/1/d1.png', '/avatars/1']) {
      const r = await raw(url, bad);
      assert.equal(r.status, 404, bad);
      assert.equal(typeof r.json?.error, 'string', bad);
    }
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
    Object.assign(env, server.cliEnv);
    await run(binaryPath(), ['admin', 'disable-user', '--data', server.dataDir, '--username', p.username], { env });
    const seen = await viewer.client.v1.accounts.lookup({ acct: p.username });
    for (const address of [seen.avatar, seen.header, seen.avatar.replace(/\.png$/, '.gif')]) {
      const r = await raw(url, new URL(address).pathname);
      assert.equal(r.status, 404, `${address} of a disabled account`);
      assert.equal(typeof r.json.error, 'string');
    }
  });
});

describe('avatar_cache_bytes = 0: nothing kept, every picture drawn on a worker', () => {
  let small;
  before(async () => {
    small = await startServer({ env: { PARTYLINE_AVATAR_CACHE_BYTES: '0' } });
  });
  after(async () => small?.stop());

  test('pictures are served all the same', async () => {
    const p = await registerUser(small.url, uniqueName('av'));
    const first = await picture(p.account.avatar);
    const second = await picture(p.account.avatar);
    assert.equal(first.status, 200);
    assert.deepEqual(second.body, first.body);
    assert.equal((await picture(p.account.header)).status, 200);
  });
});
