// Alt text is plain text (issue 12, XSS line): a description made of the classic payloads comes
// back exactly as written — on upload, on PUT /api/v1/media/:id, in the Status, in a timeline
// and in a thread — and never appears unescaped in HTML the server itself makes (the oEmbed
// quotation of the post, /about, the addresses that are the web client's page). The web client's
// side (alt text and file names drawn as text) is tests/browser/media.test.mjs.
// Docs: entities/MediaAttachment (description: "Alternate text that describes what is in the
// media attachment"), methods/oembed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUsers, startServer } from './harness.mjs';

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  'javascript:alert(3)',
  '" onmouseover="alert(4)" x="',
  "' onfocus='alert(5)' autofocus '",
  '</p><svg/onload=alert(6)>',
  '<a href="javascript:alert(7)">click</a> & &amp; &lt;',
  '{{constructor.constructor(\'alert(8)\')()}}',
];

/** A one-pixel PNG (libvips reads it; the server re-encodes it). */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');

let srv;
let ann;
let bob;

before(async () => {
  srv = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true' } }); // so oEmbed quotes a public post
  [ann, bob] = await registerUsers(srv.url, ['ann', 'bob']);
});
after(() => srv?.stop());

async function upload(user, description) {
  const form = new FormData();
  form.append('file', new Blob([PIXEL], { type: 'image/png' }), 'pixel.png');
  form.append('description', description);
  const res = await fetch(`${srv.url}/api/v2/media`, { method: 'POST', headers: { Authorization: `Bearer ${user.token}` }, body: form });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

/** Whether html holds s as markup (unescaped): the payload's own characters, verbatim. */
const holdsRaw = (html, s) => /[<>"']/.test(s) && html.includes(s);

test('a description made of XSS payloads comes back exactly as written, everywhere the API shows it', async () => {
  const ids = [];
  for (const p of PAYLOADS.slice(0, 4)) {
    const m = await upload(ann, p);
    assert.equal(m.description, p, 'on upload');
    ids.push(m.id);
  }
  // PUT with another payload, read back by GET
  const put = await raw(srv.url, `/api/v1/media/${ids[3]}`, { method: 'PUT', token: ann.token, json: { description: PAYLOADS[4] } });
  assert.equal(put.status, 200);
  assert.equal(put.json.description, PAYLOADS[4]);
  assert.equal((await raw(srv.url, `/api/v1/media/${ids[3]}`, { token: ann.token })).json.description, PAYLOADS[4]);
  const want = [...PAYLOADS.slice(0, 3), PAYLOADS[4]];

  const made = await raw(srv.url, '/api/v1/statuses', { method: 'POST', token: ann.token, json: { status: 'payloads', media_ids: ids, visibility: 'public' } });
  assert.equal(made.status, 200, JSON.stringify(made.json));
  assert.deepEqual(made.json.media_attachments.map((m) => m.description), want, 'in the Status made');
  const id = made.json.id;
  const seen = (await raw(srv.url, `/api/v1/statuses/${id}`, { token: bob.token })).json;
  assert.deepEqual(seen.media_attachments.map((m) => m.description), want, 'in the Status another reads');
  const tl = (await raw(srv.url, '/api/v1/timelines/public?local=true', { token: bob.token })).json;
  assert.deepEqual(tl.find((s) => s.id === id).media_attachments.map((m) => m.description), want, 'in a timeline');

  // an edit's media_attributes[] takes the rest, as written
  const edited = await raw(srv.url, `/api/v1/statuses/${id}`, {
    method: 'PUT', token: ann.token,
    json: { status: 'payloads', media_ids: ids, media_attributes: ids.map((m, i) => ({ id: m, description: PAYLOADS[4 + i] ?? PAYLOADS[i] })) },
  });
  assert.equal(edited.status, 200, JSON.stringify(edited.json));
  const after = ids.map((m, i) => PAYLOADS[4 + i] ?? PAYLOADS[i]);
  assert.deepEqual(edited.json.media_attachments.map((m) => m.description), after, 'after an edit');
  const ctx = await raw(srv.url, `/api/v1/statuses/${id}`, { token: bob.token });
  assert.deepEqual(ctx.json.media_attachments.map((m) => m.description), after);
});

test('no HTML the server makes holds a description unescaped: oEmbed, /about, the post\'s address', async () => {
  const ids = [];
  for (const p of PAYLOADS.slice(0, 4)) ids.push((await upload(ann, p)).id);
  const made = await raw(srv.url, '/api/v1/statuses', { method: 'POST', token: ann.token, json: { status: 'embedded', media_ids: ids, visibility: 'public' } });
  assert.equal(made.status, 200);
  const st = made.json;

  const oembed = await raw(srv.url, `/api/oembed?url=${encodeURIComponent(st.url)}`);
  assert.equal(oembed.status, 200, JSON.stringify(oembed.json));
  const pages = [['oEmbed html', oembed.json.html]];
  for (const path of ['/about', new URL(st.url).pathname, `/@${ann.account.username}`]) {
    const r = await fetch(new URL(path, srv.url));
    pages.push([path, await r.text()]);
  }
  for (const [what, html] of pages) {
    for (const p of PAYLOADS) assert.equal(holdsRaw(html, p), false, `${what} holds ${p}`);
  }
});
