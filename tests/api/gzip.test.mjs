// gzip.test.mjs — JSON answers go gzip'd to clients that accept it (src/http/gzip.c,
// send_resp in src/http/server.c; setting gzip_min_bytes): a big timeline page is sent
// compressed when asked and is the same JSON once decompressed, plain when not asked; small
// answers stay plain; 0 turns it off; masto.js (whose fetch asks for gzip) reads it as before.

import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';

import { registerUser, startServer, uniqueName } from './harness.mjs';

let srv;
let reader;
before(async () => {
  srv = await startServer();
  reader = await registerUser(srv.url, uniqueName('reader'));
  const writer = await registerUser(srv.url, uniqueName('writer'));
  await reader.client.v1.accounts.$select(writer.account.id).follow();
  for (let i = 0; i < 40; i++) {
    await writer.client.v1.statuses.create({
      status: `Post ${i} of a working day: the numbers look good, notes at https://example.com/q/${i} #planning`,
      visibility: 'public',
    });
  }
});
after(async () => {
  await srv?.stop();
});

/** A GET with exactly these headers (node's http sends no Accept-Encoding by itself), the body as sent. */
function rawGet(url, path, headers) {
  return new Promise((resolve, reject) => {
    http.get(new URL(path, url), { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const auth = () => ({ Authorization: `Bearer ${reader.token}` });
const HOME = '/api/v1/timelines/home?limit=40';

test('a big timeline is gzip when the client accepts it, and the same JSON once decompressed', async () => {
  const plain = await rawGet(srv.url, HOME, auth());
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined, 'not asked: plain');
  assert.equal(plain.headers.vary?.toLowerCase().includes('accept-encoding'), true, 'Vary even when plain');
  assert.equal(JSON.parse(plain.body).length, 40);
  assert.ok(plain.body.length > 10_000, `${plain.body.length} bytes`);

  const zipped = await rawGet(srv.url, HOME, { ...auth(), 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary?.toLowerCase().includes('accept-encoding'), true);
  assert.match(zipped.headers['content-type'], /^application\/json/);
  assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
  assert.ok(zipped.body.length < plain.body.length / 3, `${zipped.body.length} of ${plain.body.length} bytes`);
  assert.deepEqual(zlib.gunzipSync(zipped.body), plain.body, 'identical once decompressed');
  // the Link header (paging) is untouched
  assert.equal(zipped.headers.link, plain.headers.link);

  const refused = await rawGet(srv.url, HOME, { ...auth(), 'Accept-Encoding': 'gzip;q=0, br' });
  assert.equal(refused.headers['content-encoding'], undefined, 'q=0 refuses gzip');
  assert.deepEqual(refused.body, plain.body);
});

test('a small answer stays plain; an error too', async () => {
  const small = await rawGet(srv.url, '/api/v1/markers?timeline[]=home', { ...auth(), 'Accept-Encoding': 'gzip' });
  assert.equal(small.status, 200);
  assert.equal(small.headers['content-encoding'], undefined);
  assert.ok(small.body.length < 1024, `${small.body.length} bytes`);
  assert.equal(typeof JSON.parse(small.body), 'object');
  const missing = await rawGet(srv.url, '/api/v1/statuses/1', { ...auth(), 'Accept-Encoding': 'gzip' });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['content-encoding'], undefined);
  assert.ok(JSON.parse(missing.body).error);
});

test('masto.js reads compressed answers as before', async () => {
  const page = await reader.client.v1.timelines.home.list({ limit: 40 });
  assert.equal(page.length, 40);
  assert.match(page[0].content, /working day/);
});

test('gzip_min_bytes = 0 turns it off', async () => {
  const off = await startServer({ env: { PARTYLINE_GZIP_MIN_BYTES: '0' } });
  try {
    const u = await registerUser(off.url, uniqueName('off'));
    for (let i = 0; i < 10; i++) await u.client.v1.statuses.create({ status: `a longer post number ${i} `.repeat(8) });
    const r = await rawGet(off.url, HOME, { Authorization: `Bearer ${u.token}`, 'Accept-Encoding': 'gzip' });
    assert.equal(r.status, 200);
    assert.ok(r.body.length > 2048, `${r.body.length} bytes`);
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(JSON.parse(r.body).length, 10);
  } finally {
    await off.stop();
  }
});
