// Uploads and the files of posts: POST /api/v2/media (and v1), GET/PUT/DELETE /api/v1/media/:id,
// media_ids[] on create and edit of a status, and GET of the files (/media/:key/:file), which
// only the post's audience may read.
// Docs: methods/media, entities/MediaAttachment, methods/statuses#create; the rules:
// src/app/attachments.h, docs/api.md ("Media") and docs/ARCHITECTURE.md ("Files").

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';

// The tools run without blocking the event loop: a test blocked for seconds (a loaded machine)
// would come back to keep-alive connections the server may have closed meanwhile.
const run = promisify(execFile);

import { createStreamingAPIClient } from 'masto';
import WebSocket from 'ws';

import { binaryPath, collectEvents, expectHttpError, raw, registerUsers, startServer } from './harness.mjs';

/** A picture made by libvips' command line (libvips-tools): a solid colour of w×h. */
async function picture(ext, w, h) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-media-'));
  try {
    const file = path.join(dir, `p.${ext}`);
    await run('vips', ['black', file, String(w), String(h), '--bands', '3']);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JPEG with GPS coordinates in its EXIF (exiftool writes them). */
async function jpegWithGps() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-media-'));
  try {
    const file = path.join(dir, 'gps.jpg');
    await run('vips', ['black', file, '64', '48', '--bands', '3']);
    await run('exiftool', ['-q', '-overwrite_original', '-GPSLatitude=48.8584', '-GPSLatitudeRef=N', '-GPSLongitude=2.2945', '-GPSLongitudeRef=E', file]);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What exiftool finds in bytes: its GPS tags. */
async function gpsTags(bytes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-media-'));
  try {
    const file = path.join(dir, 'x.jpg');
    writeFileSync(file, bytes);
    return (await run('exiftool', ['-s', '-GPS:all', file])).stdout.toString().trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CRC-32 of PNG chunks. */
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG of a few bytes whose header declares width × height: a decompression bomb's shape. */
function pngDeclaring(width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);

/** A GET of a file's address as an app loads it: no Authorization, unless token is given. */
const fetchFile = (url, { token, headers = {} } = {}) => {
  const h = new Headers(headers);
  if (token) h.set('Authorization', `Bearer ${token}`);
  return fetch(url, { headers: h });
};

/** The files of the media folder (the folder backend, the default): DATA/media/xx/ID. */
function storedFiles(srv) {
  const root = path.join(srv.dataDir, 'media');
  if (!existsSync(root)) return 0;
  let n = 0;
  for (const d of readdirSync(root)) if (d !== 'tmp' && /^[0-9a-f]{2}$/.test(d)) n += readdirSync(path.join(root, d)).length;
  return n;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const upload = (who, bytes, more = {}) =>
  who.client.v2.media.create({ file: new Blob([bytes]), ...more });

let server;
let url;
before(async () => {
  server = await startServer({ env: { PARTYLINE_MEDIA_PICTURE_MAX_BYTES: '200000', PARTYLINE_MAX_BODY_BYTES: '100000' } });
  url = server.url;
});
after(async () => {
  await server?.stop();
});

describe('uploads', () => {
  test('a JPEG becomes an image with its url, preview, sizes and BlurHash, served to its owner', async () => {
    const [me] = await registerUsers(url, ['md_jpeg']);
    const jpeg = await picture('jpg', 120, 80);
    const m = await upload(me, jpeg, { description: 'A black square', focus: '0.5,-0.25' });
    assert.equal(m.type, 'image');
    assert.equal(m.description, 'A black square');
    assert.match(m.url, new RegExp(`^${url}/media/[0-9a-f]{32}/original\\?`));
    assert.match(m.previewUrl, /\/small\?/);
    assert.deepEqual(m.meta.original, { width: 120, height: 80, size: '120x80', aspect: 1.5 });
    assert.ok(m.meta.small.width <= 640 && m.meta.small.height <= 360);
    assert.deepEqual(m.meta.focus, { x: 0.5, y: -0.25 });
    assert.equal(typeof m.blurhash, 'string');
    assert.ok(m.blurhash.length >= 6);

    const res = await fetchFile(m.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy'), /sandbox/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), body.length);
    assert.deepEqual([...body.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
    const small = await fetchFile(m.previewUrl);
    assert.equal(small.status, 200);
    assert.match(small.headers.get('content-type'), /^image\//);

    // Range and If-None-Match
    const part = await fetchFile(m.url, { headers: { Range: 'bytes=0-9' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 0-9/${body.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), body.subarray(0, 10));
    const tail = await fetchFile(m.url, { headers: { Range: 'bytes=-4' } });
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), body.subarray(body.length - 4));
    const past = await fetchFile(m.url, { headers: { Range: `bytes=${body.length}-` } });
    assert.equal(past.status, 416);
    const again = await fetchFile(m.url, { headers: { 'If-None-Match': res.headers.get('etag') } });
    assert.equal(again.status, 304);

    // v1 takes the same
    const v1 = await raw(url, '/api/v1/media', { method: 'POST', token: me.token, body: formWith(jpeg, 'x.jpg') });
    assert.equal(v1.status, 200, v1.text);
    assert.equal(v1.json.type, 'image');
  });

  test('a PNG stays a PNG; a PDF is a document (unknown), downloaded, never shown inline', async () => {
    const [me] = await registerUsers(url, ['md_png']);
    const png = await upload(me, await picture('png', 50, 40));
    assert.equal(png.type, 'image');
    const got = await fetchFile(png.url);
    assert.equal(got.headers.get('content-type'), 'image/png');

    const form = formWith(PDF, 'C:\\Users\\ivo\\Quarterly plan.pdf');
    const res = await raw(url, '/api/v2/media', { method: 'POST', token: me.token, body: form });
    assert.equal(res.status, 200, res.text);
    const pdf = res.json;
    assert.equal(pdf.type, 'unknown');
    assert.equal(pdf.preview_url, null);
    assert.equal(pdf.blurhash, null);
    assert.equal(pdf.partyline.file_name, 'Quarterly plan.pdf', 'the last segment of a path only');
    assert.equal(pdf.partyline.file_size, PDF.length);
    const file = await fetchFile(pdf.url);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.match(file.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''Quarterly%20plan\.pdf$/);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PDF);

    // HTML and SVG are never shown inline: a download, whatever the client called them
    for (const [name, text] of [
      ['page.html', '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'],
      ['x.svg', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ]) {
      const form = new FormData();
      form.append('file', new Blob([text], { type: 'image/png' }), name);
      const up = await raw(url, '/api/v2/media', { method: 'POST', token: me.token, body: form });
      assert.equal(up.status, 200, up.text);
      assert.equal(up.json.type, 'unknown', name);
      const got = await fetchFile(up.json.url);
      assert.match(got.headers.get('content-disposition'), /^attachment/, name);
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.doesNotMatch(got.headers.get('content-type'), /^image\//, `${name} is not served as the client said`);
    }
  });

  test('GET, PUT and DELETE are the owner\'s; anyone else gets 404', async () => {
    const [me, other] = await registerUsers(url, ['md_own', 'md_other']);
    const m = await upload(me, await picture('png', 20, 20));
    const got = await me.client.v1.media.$select(m.id).fetch();
    assert.equal(got.id, m.id);
    const put = await me.client.v1.media.$select(m.id).update({ description: 'Alt text', focus: '0,0' });
    assert.equal(put.description, 'Alt text');
    await expectHttpError(other.client.v1.media.$select(m.id).fetch(), 404);
    await expectHttpError(other.client.v1.media.$select(m.id).update({ description: 'mine' }), 404);
    const del = await raw(url, `/api/v1/media/${m.id}`, { method: 'DELETE', token: other.token });
    assert.equal(del.status, 404);
    assert.equal((await fetchFile(m.url, { token: other.token })).status, 404, 'an upload is its owner\'s');
    await expectHttpError(me.client.v1.media.$select(m.id).update({ description: 'x'.repeat(1501) }), 422, /Description/);
    await expectHttpError(me.client.v1.media.$select(m.id).update({ focus: '2,0' }), 422, /Focus/);

    const gone = await raw(url, `/api/v1/media/${m.id}`, { method: 'DELETE', token: me.token });
    assert.equal(gone.status, 200, gone.text);
    await expectHttpError(me.client.v1.media.$select(m.id).fetch(), 404);
    assert.equal((await fetchFile(m.url)).status, 404, 'its file is gone');
  });

  test('bad uploads: no file, a damaged picture, a picture over the limit', async () => {
    const [me] = await registerUsers(url, ['md_bad']);
    const none = await raw(url, '/api/v2/media', { method: 'POST', token: me.token, body: new FormData() });
    assert.equal(none.status, 422);
    assert.match(none.json.error, /File/);
    const broken = Buffer.concat([(await picture('png', 30, 30)).subarray(0, 40)]);
    await expectHttpError(upload(me, broken), 422);
    const big = Buffer.concat([await picture('jpg', 64, 64), Buffer.alloc(250000)]);
    await expectHttpError(upload(me, big), 413, /large|limit|bytes/i);
  });

  test('a JPEG\'s GPS coordinates never leave the server; a decompression bomb is refused', async () => {
    const [me] = await registerUsers(url, ['md_gps']);
    const sent = await jpegWithGps();
    assert.match(await gpsTags(sent), /GPSLatitude/, 'the test picture has GPS');
    const m = await upload(me, sent);
    const served = Buffer.from(await (await fetchFile(m.url)).arrayBuffer());
    assert.equal(await gpsTags(served), '', 'no GPS tag in what is served');
    await expectHttpError(upload(me, pngDeclaring(50000, 50000)), 422, /pixel/i);
  });

  test('the upload routes take bodies up to the file limits; every other route keeps max_body_bytes', async () => {
    const [me] = await registerUsers(url, ['md_body']);
    const doc = Buffer.alloc(150000, 'a'); // over max_body_bytes (100000), a text document
    const m = await upload(me, doc);
    assert.equal(m.type, 'unknown');
    assert.equal(m.partyline.fileSize, doc.length);
    const other = await raw(url, '/api/v1/statuses', { method: 'POST', token: me.token, json: { status: 'x'.repeat(150000) } });
    assert.equal(other.status, 413);
    assert.match(other.json.error, /too large/);
  });
});

function formWith(bytes, name) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return form;
}

describe('files of posts', () => {
  test('attached with media_ids: rendered in the status, served to its audience only', async () => {
    const [author, follower, stranger] = await registerUsers(url, ['md_auth', 'md_fol', 'md_str']);
    await follower.client.v1.accounts.$select(author.account.id).follow();
    const m = await upload(author, await picture('jpg', 40, 30), { description: 'diagram' });
    const st = await author.client.v1.statuses.create({ status: 'see', mediaIds: [m.id], visibility: 'private' });
    assert.equal(st.mediaAttachments.length, 1);
    assert.equal(st.mediaAttachments[0].id, m.id);
    assert.equal(st.mediaAttachments[0].description, 'diagram');

    // the follower sees it, with addresses signed for them
    const seen = await follower.client.v1.statuses.$select(st.id).fetch();
    const theirs = seen.mediaAttachments[0].url;
    assert.match(theirs, new RegExp(`[?&]v=${follower.account.id}&`));
    assert.equal((await fetchFile(theirs)).status, 200);
    const home = await follower.client.v1.timelines.home.list();
    assert.equal(home.find((s) => s.id === st.id)?.mediaAttachments[0].url, theirs, 'the same on every path');

    // the stranger sees neither the post nor the file
    await expectHttpError(stranger.client.v1.statuses.$select(st.id).fetch(), 404);
    assert.equal((await fetchFile(theirs, { token: stranger.token })).status, 404, 'a token is checked itself');
    const forged = theirs.replace(`v=${follower.account.id}`, `v=${stranger.account.id}`);
    assert.equal((await fetchFile(forged)).status, 404, 'the signature names its viewer');
    const unsigned = theirs.split('?')[0];
    assert.equal((await fetchFile(unsigned)).status, 404);
    assert.equal((await fetchFile(unsigned, { token: follower.token })).status, 200, 'or a token');

    // once attached it is no longer an upload to attach again
    await expectHttpError(author.client.v1.statuses.create({ status: 'again', mediaIds: [m.id] }), 422, /media/);

    // the author blocks the follower: the follower's address closes at once
    await author.client.v1.accounts.$select(follower.account.id).block();
    assert.equal((await fetchFile(theirs)).status, 404);
    await author.client.v1.accounts.$select(follower.account.id).unblock();

    // deleting the post closes every address and deletes its files (the picture, its preview)
    const mine = st.mediaAttachments[0].url;
    assert.equal((await fetchFile(mine)).status, 200);
    const files = storedFiles(server);
    await author.client.v1.statuses.$select(st.id).remove();
    assert.equal((await fetchFile(mine)).status, 404);
    assert.equal((await fetchFile(mine, { token: author.token })).status, 404);
    assert.equal(storedFiles(server), files - 2, 'its two files are gone at once');
  });

  test('on every visibility, a file is fetched by exactly those who may read its post', async () => {
    const [author, follower, mentioned, stranger] = await registerUsers(url, ['md_va', 'md_vf', 'md_vm', 'md_vs']);
    await follower.client.v1.accounts.$select(author.account.id).follow();
    const people = { follower, mentioned, stranger };
    for (const visibility of ['public', 'unlisted', 'private', 'direct', 'company']) {
      const m = await upload(author, await picture('png', 9, 9));
      const st = await raw(url, '/api/v1/statuses', {
        method: 'POST',
        token: author.token,
        json: { status: `@${mentioned.username} ${visibility}`, visibility, media_ids: [m.id] },
      });
      assert.equal(st.status, 200, st.text);
      const unsigned = st.json.media_attachments[0].url.split('?')[0];
      for (const [who, p] of Object.entries(people)) {
        const post = await raw(url, `/api/v1/statuses/${st.json.id}`, { token: p.token });
        const file = await fetchFile(unsigned, { token: p.token });
        assert.equal(file.status, post.status, `${visibility}, ${who}: the file answers as the post does`);
        if (post.status === 200) {
          const signed = post.json.media_attachments[0].url;
          assert.equal((await fetchFile(signed)).status, 200, `${visibility}, ${who}: their address works`);
        }
      }
      // signed out (public_read is off): neither the post nor a file
      assert.notEqual((await raw(url, `/api/v1/statuses/${st.json.id}`)).status, 200);
      assert.equal((await fetchFile(unsigned)).status, 404);
    }
  });

  test('a page of posts shows each post\'s files, a boost the boosted post\'s', async () => {
    const [author, reader] = await registerUsers(url, ['md_page', 'md_pager']);
    const made = [];
    for (let i = 0; i < 3; i++) {
      const ids = [];
      for (let k = 0; k < i; k++) ids.push((await upload(author, await picture('png', 6 + k, 6))).id);
      made.push(await author.client.v1.statuses.create({ status: `page ${i}`, mediaIds: ids, visibility: 'public' }));
    }
    await reader.client.v1.statuses.$select(made[2].id).reblog();
    const page = await reader.client.v1.accounts.$select(author.account.id).statuses.list({ limit: 10 });
    for (const st of made) {
      const shown = page.find((s) => s.id === st.id);
      assert.deepEqual(shown.mediaAttachments.map((m) => m.id), st.mediaAttachments.map((m) => m.id), st.content);
    }
    const boosts = await reader.client.v1.accounts.$select(reader.account.id).statuses.list({ limit: 5 });
    const boost = boosts.find((s) => s.reblog?.id === made[2].id);
    assert.equal(boost.mediaAttachments.length, 0, 'the boost itself has none');
    assert.deepEqual(boost.reblog.mediaAttachments.map((m) => m.id), made[2].mediaAttachments.map((m) => m.id));
    assert.match(boost.reblog.mediaAttachments[1].url, new RegExp(`[?&]v=${reader.account.id}&`));
    assert.equal((await fetchFile(boost.reblog.mediaAttachments[1].url)).status, 200);
  });

  test('a file of a disabled author closes within seconds, whatever its address says', async () => {
    const [author, follower] = await registerUsers(url, ['md_dis', 'md_disf']);
    await follower.client.v1.accounts.$select(author.account.id).follow();
    const m = await upload(author, await picture('png', 11, 11));
    const st = await author.client.v1.statuses.create({ status: 'soon gone', mediaIds: [m.id] });
    const seen = await follower.client.v1.statuses.$select(st.id).fetch();
    const address = seen.mediaAttachments[0].url;
    assert.equal((await fetchFile(address)).status, 200);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARTYLINE_')));
    Object.assign(env, server.cliEnv);
    await run(binaryPath(), ['admin', 'disable-user', '--data', server.dataDir, '--username', author.username], { env });
    const end = Date.now() + 8000; // the server hears the admin tool within a second or so
    let status;
    while ((status = (await fetchFile(address)).status) !== 404 && Date.now() < end) await sleep(100);
    assert.equal(status, 404);
  });

  test('a streamed post carries addresses signed for each subscriber', async () => {
    const [author, f1, f2] = await registerUsers(url, ['md_sa', 'md_sf1', 'md_sf2']);
    for (const f of [f1, f2]) await f.client.v1.accounts.$select(author.account.id).follow();
    const streams = [f1, f2].map((f) =>
      createStreamingAPIClient({ streamingApiUrl: url, accessToken: f.token, implementation: WebSocket, retry: false }),
    );
    try {
      const cols = streams.map((s) => collectEvents(s.user.subscribe(), 10000));
      // the subscriptions are live once a plain post arrives on both
      for (let i = 0; ; i++) {
        const warm = await author.client.v1.statuses.create({ status: `warm ${i}`, visibility: 'private' });
        const got = await Promise.all(
          cols.map((c) => c.waitFor((e) => e.event === 'update' && e.payload?.id === warm.id, 'warm-up', 400).catch(() => null)),
        );
        if (got.every(Boolean)) break;
        assert.ok(i < 25, 'the subscriptions never became live');
      }
      const m = await upload(author, await picture('png', 16, 16));
      const st = await author.client.v1.statuses.create({ status: 'live', mediaIds: [m.id], visibility: 'private' });
      for (const [i, f] of [f1, f2].entries()) {
        const e = await cols[i].waitFor((x) => x.event === 'update' && x.payload?.id === st.id, 'the post with a file');
        const u = e.payload.mediaAttachments[0].url;
        assert.match(u, new RegExp(`[?&]v=${f.account.id}&`), 'signed for this subscriber');
        assert.equal((await fetchFile(u)).status, 200);
      }
    } finally {
      for (const s of streams) s.close();
    }
  });

  test('media_ids: only one\'s own uploads, at most max_media_attachments, nothing half-written', async () => {
    const [me, other] = await registerUsers(url, ['md_ids', 'md_ids2']);
    const theirs = await upload(other, await picture('png', 10, 10));
    const mine = await upload(me, await picture('png', 10, 10));
    const before = (await me.client.v1.accounts.verifyCredentials()).statusesCount;
    await expectHttpError(me.client.v1.statuses.create({ status: 'x', mediaIds: [mine.id, theirs.id] }), 422, /media/);
    await expectHttpError(me.client.v1.statuses.create({ status: 'x', mediaIds: ['12345'] }), 422, /media/);
    const five = [];
    for (let i = 0; i < 5; i++) five.push((await upload(me, await picture('png', 8, 8))).id);
    await expectHttpError(me.client.v1.statuses.create({ status: 'x', mediaIds: five }), 422, /at most 4/);
    assert.equal((await me.client.v1.accounts.verifyCredentials()).statusesCount, before, 'no post');
    const later = new Date(Date.now() + 3600_000).toISOString();
    const sched = await raw(url, '/api/v1/statuses', { method: 'POST', token: me.token, json: { status: 'later', media_ids: [theirs.id], scheduled_at: later } });
    assert.equal(sched.status, 422, 'a scheduled post checks its files as a post does');
    assert.match(sched.json.error, /media/);
    // mine is still free to attach: the refused posts took nothing
    const ok = await me.client.v1.statuses.create({ status: '', mediaIds: [mine.id] });
    assert.equal(ok.mediaAttachments.length, 1, 'files alone make a post');
    const blank = await me.client.v1.statuses.$select(ok.id).update({ status: '', spoilerText: 'cw' });
    assert.equal(blank.mediaAttachments.length, 1, 'an edit that keeps the files may leave the text blank');
    await expectHttpError(me.client.v1.statuses.$select(ok.id).update({ status: '', mediaIds: [] }), 422, /blank/);

    // an edit sets the post's files: keep one, add one, drop the first
    const st = await me.client.v1.statuses.create({ status: 'two', mediaIds: five.slice(0, 2) });
    const firstUrl = st.mediaAttachments[0].url;
    const edited = await me.client.v1.statuses.$select(st.id).update({ status: 'two', mediaIds: [five[1], five[2]] });
    assert.deepEqual(edited.mediaAttachments.map((a) => a.id), [five[1], five[2]]);
    assert.equal((await fetchFile(firstUrl)).status, 404, 'a dropped file is deleted');
    // media_attributes[]: the alt text of a file the post keeps (Mastodon 4.1)
    const described = await me.client.v1.statuses.$select(st.id).update({
      status: 'two',
      mediaIds: [five[1], five[2]],
      mediaAttributes: [{ id: five[2], description: 'the second chart', focus: '0.1,0.2' }],
    });
    assert.equal(described.mediaAttachments[1].description, 'the second chart');
    assert.deepEqual(described.mediaAttachments[1].meta.focus, { x: 0.1, y: 0.2 });
    await expectHttpError(
      me.client.v1.statuses.$select(st.id).update({ status: 'changed', mediaAttributes: [{ id: theirs.id, description: 'x' }] }),
      422,
      /not a file of this post/,
    );
    const unchanged = await me.client.v1.statuses.$select(st.id).fetch();
    assert.equal(unchanged.content, '<p>two</p>', 'a refused edit changes nothing');

    const inst = await me.client.v2.instance.fetch();
    assert.equal(inst.configuration.statuses.maxMediaAttachments, 4);
    assert.ok(inst.configuration.mediaAttachments.supportedMimeTypes.includes('image/jpeg'));
    assert.equal(inst.configuration.mediaAttachments.imageSizeLimit, 200000);
  });
});

describe('expiry, cleanup and quota', () => {
  let short;
  before(async () => {
    short = await startServer({
      env: {
        PARTYLINE_MEDIA_URL_SECONDS: '4', PARTYLINE_MEDIA_UNATTACHED_SECONDS: '2', PARTYLINE_MEDIA_QUOTA_MB: '1',
      },
    });
  });
  after(async () => {
    await short?.stop();
  });

  test('an address past its expiry is 404; the post read again gives a new one', async () => {
    const [me] = await registerUsers(short.url, ['md_exp']);
    const m = await upload(me, await picture('png', 10, 10));
    const st = await me.client.v1.statuses.create({ status: 'exp', mediaIds: [m.id] });
    const first = st.mediaAttachments[0].url;
    assert.equal((await fetchFile(first)).status, 200);
    const x = Number(new URL(first).searchParams.get('x'));
    const wait = x * 1000 - Date.now() + 300;
    assert.ok(wait <= 4300, 'at most media_url_seconds');
    await sleep(wait);
    assert.equal((await fetchFile(first)).status, 404);
    const again = await me.client.v1.statuses.$select(st.id).fetch();
    assert.equal((await fetchFile(again.mediaAttachments[0].url)).status, 200);
  });

  test('an upload no post took is removed with its files after media_unattached_seconds', async () => {
    const [me] = await registerUsers(short.url, ['md_gc']);
    const files = storedFiles(short);
    const m = await upload(me, await picture('png', 12, 12));
    assert.equal(storedFiles(short), files + 2);
    const deadline = Date.now() + 8000;
    while (storedFiles(short) !== files && Date.now() < deadline) await sleep(200);
    assert.equal(storedFiles(short), files, 'the picture and its preview are gone');
    await expectHttpError(me.client.v1.media.$select(m.id).fetch(), 404);
  });

  test('a person\'s uploads stop at media_quota_mb with a 422 that says so', async () => {
    const [me] = await registerUsers(short.url, ['md_quota']);
    const blob = Buffer.alloc(600 * 1024, 7);
    const first = await upload(me, blob);
    assert.equal(first.type, 'unknown');
    await expectHttpError(upload(me, blob), 422, /quota of 1 MiB/);
  });
});

// Its own server: media_unattached_seconds long enough that scheduling right after uploading
// never races the cleanup on a loaded machine, short enough to see a held file outlive it.
describe('files of scheduled posts', () => {
  let held;
  before(async () => {
    held = await startServer({ env: { PARTYLINE_MEDIA_UNATTACHED_SECONDS: '5', PARTYLINE_SCHEDULED_MIN_LEAD: '1' } });
  });
  after(async () => {
    await held?.stop();
  });

  test('a scheduled post holds its files: shown to its owner, attachable nowhere else, never pruned, then published with them', async () => {
    const [me, other] = await registerUsers(held.url, ['md_sch', 'md_sch2']);
    const files = storedFiles(held);
    const a = await upload(me, await picture('png', 10, 10), { description: 'first' });
    const b = await upload(me, Buffer.from('minutes of the meeting\n'));
    const at = new Date(Date.now() + 8000).toISOString(); // past media_unattached_seconds
    const sch = await me.client.v1.statuses.create({ status: 'with files, later', mediaIds: [a.id, b.id], scheduledAt: at });
    assert.deepEqual(sch.params.mediaIds, [a.id, b.id], 'params.media_ids as given');
    assert.deepEqual(sch.mediaAttachments.map((x) => [x.id, x.type, x.description]), [[a.id, 'image', 'first'], [b.id, 'unknown', null]]);
    assert.equal((await fetchFile(sch.mediaAttachments[0].url)).status, 200, 'its owner sees the file');
    const listed = await me.client.v1.scheduledStatuses.list();
    assert.deepEqual(listed.find((x) => x.id === sch.id).mediaAttachments.map((x) => x.id), [a.id, b.id]);
    await expectHttpError(other.client.v1.scheduledStatuses.$select(sch.id).fetch(), 404);
    // held: no other post may take it, it cannot be deleted under the scheduled post
    await expectHttpError(me.client.v1.statuses.create({ status: 'now', mediaIds: [a.id] }), 422, /media/);
    await expectHttpError(me.client.v1.statuses.create({ status: 'later too', mediaIds: [a.id], scheduledAt: at }), 422, /media/);
    await expectHttpError(me.client.v1.media.$select(a.id).remove(), 422, /scheduled post/);
    // published at its time with both files, though older than media_unattached_seconds
    let post;
    for (const end = Date.now() + 20000; !post && Date.now() < end; await sleep(200)) {
      const mine = (await raw(held.url, `/api/v1/accounts/${me.account.id}/statuses`, { token: me.token })).json;
      post = mine.find((s) => s.content.includes('with files, later'));
    }
    assert.ok(post, 'published');
    assert.deepEqual(post.media_attachments.map((x) => x.id), [a.id, b.id]);
    assert.equal((await fetchFile(post.media_attachments[0].url)).status, 200);
    assert.equal(storedFiles(held), files + 3, 'nothing was pruned: a picture, its preview, a document');

    // cancelled: its file is an unattached upload again, which the cleanup removes
    const before = storedFiles(held);
    const c = await upload(me, await picture('png', 8, 8));
    const sch2 = await me.client.v1.statuses.create({ status: 'cancelled', mediaIds: [c.id], scheduledAt: new Date(Date.now() + 3600_000).toISOString() });
    await upload(me, await picture('png', 9, 9)); // a free upload made after it, which the cleanup takes
    for (const end = Date.now() + 15000; storedFiles(held) !== before + 2 && Date.now() < end;) await sleep(200);
    assert.equal(storedFiles(held), before + 2, 'the free upload was pruned, the held one was not');
    await me.client.v1.scheduledStatuses.$select(sch2.id).remove();
    const deadline = Date.now() + 15000;
    while (storedFiles(held) !== before && Date.now() < deadline) await sleep(200);
    assert.equal(storedFiles(held), before, 'let go by the cancelled post, then pruned');
  });
});
