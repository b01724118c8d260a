// web.test.mjs — the browser client's files as the server serves them (src/http/web.c):
// from the binary, with ETags, a strict Content-Security-Policy, and nothing else reachable.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import net from 'node:net';

import { raw, startServer } from './harness.mjs';

let srv;
let url;
before(async () => {
  srv = await startServer();
  url = srv.url;
});
after(async () => {
  await srv?.stop();
});

/** Sends a request line exactly as written (fetch would normalize "/../"). */
function rawRequest(port, target) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
  });
}

/** The built page's bundle and stylesheet (scripts/build-web.mjs names them by content). */
async function builtFiles() {
  const page = (await raw(url, '/')).text;
  return {
    bundle: page.match(/<script type="module" src="(\/js\/app-[A-Z0-9]{8}\.js)">/)[1],
    css: page.match(/<link rel="stylesheet" href="(\/app-[A-Z0-9]{8}\.css)">/)[1],
  };
}

test('GET / is the web client: HTML with a strict CSP, an ETag and revalidation', async () => {
  const r = await raw(url, '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /<script type="module" src="\/js\/app-[A-Z0-9]{8}\.js">/);
  // the home view comes with the app bundle (router.js: bundleViews): its entry is not asked for
  assert.doesNotMatch(r.text, /<link rel="modulepreload" href="\/js\/views\//);
  assert.match(r.text, /<link rel="modulepreload" href="\/js\/chunk-[A-Z0-9]{8}\.js">/);
  // one inline script (the home feed's early request and the last visit's copy of it),
  // allowed by its hash and no other way
  const inline = [...r.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(inline.length, 1, 'one inline script');
  assert.doesNotMatch(r.text, /<script [^>]*>[^<]/, 'no other script with a body');
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  const hash = crypto.createHash('sha256').update(inline[0]).digest('base64');
  assert.match(csp, new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}';`), 'the inline script by its hash');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/, 'nothing inline, no other host');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('etag'), /^"[0-9a-f]{20}(-gz)?"$/);
});

test('the bundle and the stylesheet are named by content and kept for good; the views revalidate', async () => {
  const { bundle, css } = await builtFiles();
  for (const p of [bundle, css]) {
    const r = await raw(url, p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable', p);
    assert.ok(r.headers.get('content-security-policy'), p);
  }
  assert.match((await raw(url, css)).headers.get('content-type'), /^text\/css/);
  // a view's entry keeps its name (the router imports it by name): revalidated, and it is
  // the view of the bundle the page names
  const home = await raw(url, '/js/views/home.js');
  assert.equal(home.headers.get('cache-control'), 'no-cache');
  assert.ok(home.text.includes(`"../${bundle.slice(4)}"`), home.text);
  for (const p of ['/', '/favicon.svg']) assert.equal((await raw(url, p)).headers.get('cache-control'), 'no-cache', p);
  // the sources are not served: only what the build made
  for (const p of ['/js/main.js', '/js/router.js', '/app.css', '/boot/early-home.js']) {
    assert.equal((await raw(url, p)).status, 404, p);
  }
});

test('an unchanged file revalidates as 304 with no body; a different ETag gets the file', async () => {
  const first = await raw(url, '/js/views/home.js');
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-type'), /^text\/javascript/);
  const etag = first.headers.get('etag');
  const again = await raw(url, '/js/views/home.js', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  const other = await raw(url, '/js/views/home.js', { headers: { 'If-None-Match': '"0000"' } });
  assert.equal(other.status, 200);
  assert.equal(other.text, first.text);
});

test('the stylesheet and every view module are served with their types', async () => {
  const { css } = await builtFiles();
  assert.match((await raw(url, css)).headers.get('content-type'), /^text\/css/);
  for (const p of ['/js/views/home.js', '/js/views/signin.js', '/js/views/status.js']) {
    const r = await raw(url, p);
    assert.equal(r.status, 200, p);
  }
});

test('paths outside the embedded files are not found, however they are spelled', async () => {
  for (const p of ['/js/nope.js', '/web/index.html', '/index.html/', '/js//views/home.js']) {
    assert.equal((await raw(url, p)).status, 404, p);
  }
  for (const target of ['/../../../../etc/passwd', '/js/../../src/main.c', '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fMakefile', '/js/%2e%2e/%2e%2e/partyline.example.ini', '//etc/passwd']) {
    const res = await rawRequest(srv.port, target);
    const status = Number(res.split(' ')[1]);
    assert.ok(status === 404 || status === 400, `${target} answered ${status}`);
    assert.doesNotMatch(res, /root:|#include|\[server\]/, `${target} leaked a file`);
  }
});

test('only GET and HEAD reach the files: POST / is not served a page', async () => {
  const head = await raw(url, '/', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  const post = await raw(url, '/', { method: 'POST', form: { a: 'b' } });
  assert.notEqual(post.status, 200);
});

/** A GET with exactly these headers, the body as the server sent it (not decompressed). */
function rawGet(path, headers) {
  return new Promise((resolve, reject) => {
    http.get(new URL(path, url), { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('text files go compressed to clients that accept gzip, as they are to the others', async () => {
  const { bundle } = await builtFiles();
  const plain = await rawGet(bundle, {});
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'accept-encoding');
  const zipped = await rawGet(bundle, { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'accept-encoding');
  assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} of ${plain.body.length} bytes`);
  assert.deepEqual(zlib.gunzipSync(zipped.body), plain.body, 'the same file once unzipped');
  assert.notEqual(zipped.headers.etag, plain.headers.etag, 'each form has its own ETag');
  // each ETag revalidates its own form
  const again = await rawGet(bundle, { 'Accept-Encoding': 'gzip', 'If-None-Match': zipped.headers.etag });
  assert.equal(again.status, 304);
  const refused = await rawGet(bundle, { 'Accept-Encoding': 'gzip;q=0, br' });
  assert.equal(refused.headers['content-encoding'], undefined, 'q=0 refuses gzip');
  assert.deepEqual(refused.body, plain.body);
});
