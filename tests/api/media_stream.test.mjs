// Big files are streamed (GET /media/:key/:file): the server holds a piece or two of a file in
// memory, not the file, however slowly its client reads; Range and HEAD stay right; a client
// that goes away mid-file costs nothing (the ASan build's leak check runs at stop()); a small
// Range near the end of a big file decrypts only its own chunks.
// The rules: src/api/mastodon/media.c (STREAM_MIN_BYTES), src/http/server.c ("pulled bodies"),
// docs/api.md ("Media"), docs/ARCHITECTURE.md ("Files").

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, openSync, writeSync, closeSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { registerUsers, startServer } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A document of n bytes: a PDF's magic, then noise (nothing compresses it). */
function document(n) {
  const b = randomBytes(n);
  Buffer.from('%PDF-1.4\n').copy(b);
  return b;
}

const sha = (b) => createHash('sha256').update(b).digest('hex');

/** A line of the server process's /proc status, in KiB (Linux). */
function procKiB(srv, field) {
  const m = readFileSync(`/proc/${srv.pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm'));
  return m ? Number(m[1]) : 0;
}

/** The one file the folder backend holds: DATA/media/xx/ID. */
function storedFile(srv) {
  const root = path.join(srv.dataDir, 'media');
  const files = [];
  for (const d of readdirSync(root))
    if (/^[0-9a-f]{2}$/.test(d)) for (const f of readdirSync(path.join(root, d))) files.push(path.join(root, d, f));
  assert.equal(files.length, 1, 'one stored file');
  return files[0];
}

const upload = async (who, bytes) => (await who.client.v2.media.create({ file: new Blob([bytes]), description: 'big' }));

describe('a big file, folder backend', () => {
  const SIZE = 50 * 1024 * 1024 + 12345; // the last chunk is a short one
  let server, me, body, media;
  before(async () => {
    // an ASan build keeps freed memory in quarantine (256 MB by default), which the pieces
    // sent would fill: a small one keeps its RSS what the server holds (other builds ignore it)
    const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=2'].filter(Boolean).join(':');
    server = await startServer({ env: { ASAN_OPTIONS: asan } });
    [me] = await registerUsers(server.url, ['ms_big']);
    body = document(SIZE);
    media = await upload(me, body);
    assert.equal(media.partyline.fileSize, SIZE);
  });
  after(async () => {
    await server?.stop();
  });

  test('a client reading slowly gets the whole file, while the server holds far less than it', async (t) => {
    await sleep(300); // the upload's buffers are given back
    const base = procKiB(server, 'VmRSS');
    writeFileSync(`/proc/${server.pid}/clear_refs`, '5'); // VmHWM starts again from VmRSS
    const res = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(SIZE));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const reader = res.body.getReader();
    const hash = createHash('sha256');
    let got = 0, pauses = 0, peak = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      got += value.length;
      // a slow reader: it stops for a while three times (at the start, a third, two thirds in)
      if (got >= (pauses * SIZE) / 3) {
        pauses++;
        await sleep(700);
        peak = Math.max(peak, procKiB(server, 'VmRSS'));
      }
    }
    assert.equal(got, SIZE);
    assert.equal(hash.digest('hex'), sha(body));
    const hwm = procKiB(server, 'VmHWM');
    const fileKiB = SIZE / 1024;
    // a piece or two per connection (and the allocator's slack), not the file: under a fifth
    const grew = Math.max(peak, hwm) - base;
    t.diagnostic(`server RSS grew by ${grew} KiB (peak ${hwm} KiB, before ${base} KiB)`);
    assert.ok(grew < fileKiB / 5, `the server grew by ${grew} KiB serving a file of ${Math.round(fileKiB)} KiB`);
  });

  test('HEAD gives the length and no body; a large Range is streamed, right to the byte', async () => {
    const head = await fetch(media.url, { method: 'HEAD', headers: { Authorization: `Bearer ${me.token}` } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(SIZE));
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const from = 1000003, to = 9000001; // neither on a chunk's boundary
    const part = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}`, Range: `bytes=${from}-${to}` } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes ${from}-${to}/${SIZE}`);
    assert.equal(part.headers.get('content-length'), String(to - from + 1));
    const got = Buffer.from(await part.arrayBuffer());
    assert.ok(got.equals(body.subarray(from, to + 1)));
    const tail = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}`, Range: 'bytes=-2000000' } });
    assert.equal(tail.status, 206);
    assert.ok(Buffer.from(await tail.arrayBuffer()).equals(body.subarray(SIZE - 2000000)));
  });

  test('clients that go away mid-file free what they held; the server serves on', async () => {
    for (let i = 0; i < 4; i++) {
      const ac = new AbortController();
      const res = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}` }, signal: ac.signal });
      const reader = res.body.getReader();
      let got = 0;
      while (got < (i + 1) * 1024 * 1024) got += (await reader.read()).value.length;
      ac.abort();
    }
    await sleep(300);
    const small = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}`, Range: 'bytes=0-99' } });
    assert.equal(small.status, 206);
    assert.ok(Buffer.from(await small.arrayBuffer()).equals(body.subarray(0, 100)));
  });

  test('10 bytes near the end decrypt only their chunk: damage elsewhere does not touch them', async () => {
    // damage the first chunk, one in the middle and the last (the chunks around the range
    // stay whole): a read that decrypted anything but the range's chunk would fail
    const file = storedFile(server);
    const n = statSync(file).size;
    const fd = openSync(file, 'r+');
    for (const at of [100, Math.floor(n / 2), n - 40]) writeSync(fd, Buffer.from('damaged!'), 0, 8, at);
    closeSync(fd);
    const from = SIZE - 100000; // in the chunk before the two last
    const res = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}`, Range: `bytes=${from}-${from + 9}` } });
    assert.equal(res.status, 206);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(body.subarray(from, from + 10)));
    // and the damage is real: the whole file's stream is cut where it starts
    const whole = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}` } });
    assert.equal(whole.status, 200, 'the status is sent before the first piece is read');
    await assert.rejects(whole.arrayBuffer());
  });
});

describe('a big file, database backend', () => {
  let server, me, body, media;
  before(async () => {
    server = await startServer({ env: { PARTYLINE_MEDIA_STORE: 'database' } });
    [me] = await registerUsers(server.url, ['ms_db']);
    body = document(3 * 1024 * 1024 + 7);
    media = await upload(me, body);
  });
  after(async () => {
    await server?.stop();
  });

  test('streamed whole and in a Range, its pieces read on the workers\' connections', async () => {
    const res = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}` } });
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(body));
    const part = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}`, Range: 'bytes=5-2500000' } });
    assert.equal(part.status, 206);
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(body.subarray(5, 2500001)));
  });
});

describe('a download under way when the server stops', () => {
  test('the server stops gracefully (exit 0; in an ASan build, nothing leaked)', async () => {
    const server = await startServer();
    try {
      const [me] = await registerUsers(server.url, ['ms_stop']);
      const media = await upload(me, document(8 * 1024 * 1024));
      const res = await fetch(media.url, { headers: { Authorization: `Bearer ${me.token}` } });
      const reader = res.body.getReader();
      let got = 0;
      while (got < 1024 * 1024) got += (await reader.read()).value.length;
      // the client stops reading, and the server is told to stop meanwhile: it does not wait
      // for the download (the loop has nothing in flight), and nothing leaks
      await server.stop();
      reader.cancel().catch(() => {});
    } catch (e) {
      await server.stop().catch(() => {});
      throw e;
    }
  });
});
