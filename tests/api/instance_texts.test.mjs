// instance_texts.test.mjs — what apps read about the server at start (issue 11 item 6):
// GET /api/v1/instance/rules (entities/Rule, from `rules_file`), GET
// /api/v1/instance/extended_description (entities/ExtendedDescription, from
// `extended_description_file`), the instances' `rules` and `thumbnail`, and
// GET /api/v1/custom_emojis (none yet). Docs: methods/instance, methods/custom_emojis.
// Mirrors src/api/mastodon/instance.c and src/app/about.c.

import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { raw, registerUser, restClient, startServer } from './harness.mjs';

let dir;
let srv; // with both files
let bare; // with neither
let rulesFile;
let aboutFile;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'partyline-about-'));
  rulesFile = path.join(dir, 'rules.txt');
  aboutFile = path.join(dir, 'about.txt');
  await writeFile(rulesFile, '# the company\'s rules\n\nBe kind to colleagues\r\n  Keep customer data <inside>  \n# a comment\nNo secrets in public posts\n');
  await writeFile(aboutFile, 'Welcome to the company network.\n\nQuestions? Ask #helpdesk or see https://intranet.example.com/help <b>now</b>');
  await utimes(aboutFile, new Date('2026-11-03T04:09:07Z'), new Date('2026-11-03T04:09:07Z'));
  [srv, bare] = await Promise.all([
    startServer({ env: { PARTYLINE_RULES_FILE: rulesFile, PARTYLINE_EXTENDED_DESCRIPTION_FILE: aboutFile } }),
    startServer(),
  ]);
});

after(async () => {
  await Promise.all([srv?.stop(), bare?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const RULES = [
  { id: '1', text: 'Be kind to colleagues' },
  { id: '2', text: 'Keep customer data <inside>' },
  { id: '3', text: 'No secrets in public posts' },
];

describe('rules', () => {
  test('GET /api/v1/instance/rules lists the file\'s rules, one a line, numbered in order (signed out)', async () => {
    const r = await raw(srv.url, '/api/v1/instance/rules');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, RULES);
    // masto.js builds the path from the names
    const viaMasto = await restClient(srv.url).v1.instance.rules.list();
    assert.deepEqual(viaMasto, RULES);
  });

  test('the instance entities carry the same rules', async () => {
    const v1 = await raw(srv.url, '/api/v1/instance');
    const v2 = await raw(srv.url, '/api/v2/instance');
    assert.deepEqual(v1.json.rules, RULES);
    assert.deepEqual(v2.json.rules, RULES);
  });

  test('without rules_file there are none', async () => {
    assert.deepEqual((await raw(bare.url, '/api/v1/instance/rules')).json, []);
    assert.deepEqual((await raw(bare.url, '/api/v2/instance')).json.rules, []);
  });

  test('a change to the file shows at once, without a restart', async () => {
    await writeFile(rulesFile, 'Only this one\n');
    try {
      assert.deepEqual((await raw(srv.url, '/api/v1/instance/rules')).json, [{ id: '1', text: 'Only this one' }]);
    } finally {
      await writeFile(rulesFile, RULES.map((r) => r.text).join('\n'));
    }
  });

  test('an unreadable rules file is a 500 with a JSON error on the rules route; the instance still answers', async () => {
    const broken = await startServer({ env: { PARTYLINE_RULES_FILE: path.join(dir, 'missing.txt') } });
    try {
      const r = await raw(broken.url, '/api/v1/instance/rules');
      assert.equal(r.status, 500);
      assert.equal(typeof r.json.error, 'string');
      const i = await raw(broken.url, '/api/v2/instance');
      assert.equal(i.status, 200);
      assert.deepEqual(i.json.rules, []);
    } finally {
      await broken.stop();
    }
  });
});

describe('limits of the files', () => {
  test('at most 100 rules; a line that is not UTF-8 is left out', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => Buffer.from(`Rule ${i + 1}\n`));
    lines.splice(1, 0, Buffer.from([0x42, 0x61, 0x64, 0xff, 0x0a])); // "Bad\xff"
    await writeFile(rulesFile, Buffer.concat(lines));
    try {
      const r = await raw(srv.url, '/api/v1/instance/rules');
      assert.equal(r.status, 200);
      assert.equal(r.json.length, 100);
      assert.deepEqual(r.json.slice(0, 2), [{ id: '1', text: 'Rule 1' }, { id: '2', text: 'Rule 2' }]);
      assert.deepEqual(r.json[99], { id: '100', text: 'Rule 100' });
    } finally {
      await writeFile(rulesFile, RULES.map((x) => x.text).join('\n'));
    }
  });

  test('a description over 64 KiB is read to 64 KiB, cut between characters; one that is not UTF-8 is a 500', async () => {
    const big = `x${'é'.repeat(40000)}`; // 80,001 bytes: byte 65,536 falls inside an é
    await writeFile(aboutFile, big);
    try {
      const r = await raw(srv.url, '/api/v1/instance/extended_description');
      assert.equal(r.status, 200, r.text.slice(0, 200));
      const text = r.json.content.replace(/^<p>|<\/p>$/g, '');
      assert.equal(Buffer.byteLength(text), 65535, 'cut to whole characters within 64 KiB');
      assert.match(text, /^xé+$/);
      await writeFile(aboutFile, Buffer.from([0x48, 0x69, 0xff]));
      const bad = await raw(srv.url, '/api/v1/instance/extended_description');
      assert.equal(bad.status, 500);
      assert.equal(typeof bad.json.error, 'string');
    } finally {
      await writeFile(aboutFile, 'Welcome to the company network.\n\nQuestions? Ask #helpdesk or see https://intranet.example.com/help <b>now</b>');
      await utimes(aboutFile, new Date('2026-11-03T04:09:07Z'), new Date('2026-11-03T04:09:07Z'));
    }
  });
});

describe('extended description', () => {
  test('the file rendered like a post (escaped, paragraphs, links), updated_at its change time', async () => {
    const d = await restClient(srv.url).v1.instance.extendedDescription.fetch();
    assert.equal(d.updatedAt, '2026-11-03T04:09:07.000Z');
    assert.match(d.content, /^<p>Welcome to the company network\.<\/p><p>Questions\? Ask <a href="[^"]*\/tags\/helpdesk"/);
    assert.match(d.content, /<a href="https:\/\/intranet\.example\.com\/help"/);
    assert.match(d.content, /&lt;b&gt;now&lt;\/b&gt;/, 'markup in the file is text');
    const r = await raw(srv.url, '/api/v1/instance/extended_description');
    assert.deepEqual(Object.keys(r.json), ['updated_at', 'content']);
  });

  test('without a file: empty content and a time', async () => {
    const r = await raw(bare.url, '/api/v1/instance/extended_description');
    assert.equal(r.status, 200);
    assert.equal(r.json.content, '');
    assert.match(r.json.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('thumbnail and custom emoji', () => {
  test('/api/v2/instance has a thumbnail object whose url is a PNG the server serves; v1 has its url', async () => {
    const v2 = await restClient(bare.url).v2.instance.fetch();
    assert.equal(typeof v2.thumbnail, 'object');
    assert.equal(v2.thumbnail.url, `${bare.url}/thumbnail.png`);
    const v1 = await raw(bare.url, '/api/v1/instance');
    assert.equal(v1.json.thumbnail, `${bare.url}/thumbnail.png`);
    const png = await fetch(v2.thumbnail.url);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  });

  test('GET /api/v1/custom_emojis is an empty list, signed out or in', async () => {
    assert.deepEqual(await restClient(bare.url).v1.customEmojis.list(), []);
    const u = await registerUser(bare.url, 'emoji');
    assert.deepEqual(await u.client.v1.customEmojis.list(), []);
    const r = await raw(bare.url, '/api/v1/custom_emojis');
    assert.equal(r.status, 200);
    assert.equal(r.text, '[]');
  });
});
