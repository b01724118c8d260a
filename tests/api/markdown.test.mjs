// Formatted posts (issue 12): content_type on create and edit of a status (text/plain, the
// default, or text/markdown, as Pleroma, Akkoma and GoToSocial accept it), a person's default
// (update_credentials source[status_content_type], GoToSocial's name), the source as written,
// edit history, search and filters reading the text and not the markup, and the classic XSS
// payloads against every piece of server-made HTML a person's text reaches: statuses of both
// content types, profile notes and fields, and the display name in an oEmbed.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, raw, registerUsers, startServer } from './harness.mjs';

let server;
let url;

before(async () => {
  // scheduled posts may be 2 s ahead (as in scheduled_statuses.test.mjs), to see one published
  server = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true', PARTYLINE_SCHEDULED_MIN_LEAD: '2' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const md = (who, status, extra = {}) => who.client.v1.statuses.create({ status, contentType: 'text/markdown', ...extra });
const LINK = 'target="_blank" rel="nofollow noopener noreferrer"';

/**
 * Asserts html holds only the markup the server writes: the tags Mastodon apps expect, with
 * only the attributes partyline writes, and every href an http(s) URL. Text between tags may
 * say anything (it is escaped: a '<' in it would be a tag and is checked as one).
 */
function assertSafeHtml(html, what, extraAttrs = []) {
  const tags = new Set(['p', 'br', 'a', 'span', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li']);
  const attrs = new Set(['href', 'class', 'rel', 'target', 'start', ...extraAttrs]);
  for (const m of html.matchAll(/<[^>]*>?/g)) {
    const t = m[0].match(/^<\/?([a-z]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>$/);
    assert.ok(t, `${what}: malformed or foreign markup ${JSON.stringify(m[0])} in ${html}`);
    assert.ok(tags.has(t[1]), `${what}: tag <${t[1]}> is not one the server writes: ${html}`);
    for (const a of t[2].matchAll(/([a-z-]+)="([^"]*)"/g)) {
      assert.ok(attrs.has(a[1]), `${what}: attribute ${a[1]} on <${t[1]}>: ${html}`);
      if (a[1] === 'href' || a[1] === 'cite') assert.match(a[2], /^https?:\/\//, `${what}: href ${a[2]}`);
    }
  }
  assert.ok(!/&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)/i.test(html), `${what}: a bare & in ${html}`);
}

describe('content_type on create', () => {
  test('text/markdown makes the tags Mastodon apps show; text/plain (the default) keeps the stars', async () => {
    const [a] = await registerUsers(url, ['mdc']);
    const s = await md(a, '**bold** _em_ ~~gone~~ `code`\n\n- one\n- two\n\n> quoted');
    assert.equal(
      s.content,
      '<p><strong>bold</strong> <em>em</em> <del>gone</del> <code>code</code></p>' +
        '<ul><li>one</li><li>two</li></ul><blockquote><p>quoted</p></blockquote>',
    );
    const plain = await a.client.v1.statuses.create({ status: '**bold** _em_' });
    assert.equal(plain.content, '<p>**bold** _em_</p>');
    const explicit = await a.client.v1.statuses.create({ status: '**bold**', contentType: 'text/plain' });
    assert.equal(explicit.content, '<p>**bold**</p>');
  });

  test('an unknown content_type is refused with 422 and a clear message, and nothing is posted', async () => {
    const [a] = await registerUsers(url, ['mdbad']);
    for (const ct of ['text/html', 'markdown', 'text/bbcode', 'application/json']) {
      await expectHttpError(a.client.v1.statuses.create({ status: 'x', contentType: ct }), 422, /content_type must be text\/plain or text\/markdown/, ct);
    }
    const me = await a.client.v1.accounts.verifyCredentials();
    assert.equal(me.statusesCount, 0, 'no post was written');
    // a form body, as other apps send it
    const r = await raw(url, '/api/v1/statuses', { method: 'POST', token: a.token, form: { status: 'x', content_type: 'text/html' } });
    assert.equal(r.status, 422);
    assert.match(r.json.error, /content_type/);
  });

  test('mentions, hashtags and links are made as for plain text, but not inside code or link labels', async () => {
    const [a, bob, carl] = await registerUsers(url, ['mdm', 'mdbob', 'mdcarl']);
    const s = await md(a, `**@${bob.username}** #Markdown https://example.org/x and \`@${carl.username} #nottag\` [@${carl.username}](https://example.org/y)`);
    assert.deepEqual(s.mentions.map((m) => m.username), [bob.username], 'only the mention outside code and labels');
    assert.deepEqual(s.tags.map((t) => t.name), ['markdown']);
    assert.ok(s.content.includes(`<strong><span class="h-card"><a href="${url.replace(/\/$/, '')}/@${bob.username}"`) || s.content.includes(`/@${bob.username}" class="u-url mention">`), s.content);
    assert.ok(s.content.includes(`<a href="https://example.org/x" ${LINK}>https://example.org/x</a>`), s.content);
    assert.ok(s.content.includes(`<code>@${carl.username} #nottag</code>`), s.content);
    assert.ok(s.content.includes(`<a href="https://example.org/y" ${LINK}>@${carl.username}</a>`), s.content);
    const note = await bob.client.v1.notifications.list();
    assert.ok(note.some((n) => n.type === 'mention' && n.status.id === s.id), 'bob is notified');
    const none = await carl.client.v1.notifications.list();
    assert.ok(!none.some((n) => n.status?.id === s.id), 'a mention in code is no mention: carl hears nothing');
  });

  test('pictures become links with their alt text; raw HTML shows as text', async () => {
    const [a] = await registerUsers(url, ['mdimg']);
    const s = await md(a, '![a cat](https://example.org/cat.png) <b>hi</b>');
    assert.equal(s.content, `<p><a href="https://example.org/cat.png" ${LINK}>a cat</a> &lt;b&gt;hi&lt;/b&gt;</p>`);
  });
});

describe('preview (ours)', () => {
  test('POST /api/v1/partyline/statuses/preview answers the content posting would make, and posts nothing', async () => {
    const [a, bob] = await registerUsers(url, ['mdpre', 'mdpreb']);
    const r = await raw(url, '/api/v1/partyline/statuses/preview', { method: 'POST', token: a.token, json: { status: `**hi** @${bob.username}`, content_type: 'text/markdown' } });
    assert.equal(r.status, 200, r.text);
    const posted = await md(a, `**hi** @${bob.username}`);
    assert.deepEqual(r.json, { content: posted.content });
    const plain = await raw(url, '/api/v1/partyline/statuses/preview', { method: 'POST', token: a.token, json: { status: '**hi**' } });
    assert.equal(plain.json.content, '<p>**hi**</p>', 'the person\'s default, text/plain');
    const max = (await raw(url, '/api/v2/instance')).json.configuration.statuses.max_characters;
    for (const [body, re] of [
      [{ status: 'x', content_type: 'text/html' }, /content_type/],
      [{ status: '  ' }, /blank/],
      [{ status: 'x'.repeat(max + 1), content_type: 'text/markdown' }, /character limit/],
    ]) {
      const bad = await raw(url, '/api/v1/partyline/statuses/preview', { method: 'POST', token: a.token, json: body });
      assert.equal(bad.status, 422, JSON.stringify(body));
      assert.match(bad.json.error, re);
    }
    assert.equal((await a.client.v1.accounts.verifyCredentials()).statusesCount, 1, 'only the real post');
    const notes = await bob.client.v1.notifications.list();
    assert.equal(notes.filter((n) => n.type === 'mention').length, 1, 'a preview notifies nobody');
    const anon = await raw(url, '/api/v1/partyline/statuses/preview', { method: 'POST', json: { status: 'x' } });
    assert.equal(anon.status, 401);
  });
});

describe('source, edit and history', () => {
  test('source returns the Markdown as written with its content type; an edit keeps or changes it', async () => {
    const [a] = await registerUsers(url, ['mdsrc']);
    const s = await md(a, '# Title\n\n*v1*');
    let src = await raw(url, `/api/v1/statuses/${s.id}/source`, { token: a.token });
    assert.deepEqual(src.json, { id: s.id, text: '# Title\n\n*v1*', spoiler_text: '', content_type: 'text/markdown' });

    // an edit without content_type keeps Markdown
    const e1 = await a.client.v1.statuses.$select(s.id).update({ status: '*v2*' });
    assert.equal(e1.content, '<p><em>v2</em></p>');
    src = await raw(url, `/api/v1/statuses/${s.id}/source`, { token: a.token });
    assert.equal(src.json.content_type, 'text/markdown');

    // an edit to text/plain changes it
    const e2 = await a.client.v1.statuses.$select(s.id).update({ status: '*v3*', contentType: 'text/plain' });
    assert.equal(e2.content, '<p>*v3*</p>');
    src = await raw(url, `/api/v1/statuses/${s.id}/source`, { token: a.token });
    assert.deepEqual([src.json.text, src.json.content_type], ['*v3*', 'text/plain']);

    // a bad one leaves the post as it was
    await expectHttpError(a.client.v1.statuses.$select(s.id).update({ status: 'x', contentType: 'text/rtf' }), 422, /content_type/);
    assert.equal((await a.client.v1.statuses.$select(s.id).fetch()).content, '<p>*v3*</p>');

    const history = await a.client.v1.statuses.$select(s.id).history.list();
    assert.deepEqual(history.map((h) => h.content), ['<p><strong>Title</strong></p><p><em>v1</em></p>', '<p><em>v2</em></p>', '<p>*v3*</p>']);

    // delete-and-redraft gives the source too
    const gone = await a.client.v1.statuses.$select(s.id).remove();
    assert.equal(gone.text, '*v3*');
  });

  test('a plain post\'s source says text/plain', async () => {
    const [a] = await registerUsers(url, ['mdsrcp']);
    const s = await a.client.v1.statuses.create({ status: 'plain' });
    const src = await raw(url, `/api/v1/statuses/${s.id}/source`, { token: a.token });
    assert.equal(src.json.content_type, 'text/plain');
  });

  test('a scheduled post keeps its content type until it is published', async () => {
    const [a] = await registerUsers(url, ['mdsch']);
    await expectHttpError(
      a.client.v1.statuses.create({ status: 'x', contentType: 'text/html', scheduledAt: new Date(Date.now() + 600000).toISOString() }),
      422,
      /content_type/,
      'a scheduled post is checked at once',
    );
    const at = new Date(Date.now() + 2500).toISOString();
    const sch = await raw(url, '/api/v1/statuses', { method: 'POST', token: a.token, json: { status: '**later**', content_type: 'text/markdown', scheduled_at: at } });
    assert.equal(sch.status, 200, sch.text);
    let posts = [];
    for (const end = Date.now() + 20000; posts.length === 0 && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 200));
      posts = (await raw(url, `/api/v1/accounts/${a.account.id}/statuses`, { token: a.token })).json;
    }
    assert.equal(posts.length, 1, 'published');
    assert.equal(posts[0].content, '<p><strong>later</strong></p>');
    const src = await raw(url, `/api/v1/statuses/${posts[0].id}/source`, { token: a.token });
    assert.equal(src.json.content_type, 'text/markdown');
  });
});

describe('a person\'s default content type', () => {
  test('source[status_content_type] sets it; preferences and source show it; new posts use it', async () => {
    const [a] = await registerUsers(url, ['mddef']);
    let prefs = await raw(url, '/api/v1/preferences', { token: a.token });
    assert.equal(prefs.json['partyline:posting:default:content_type'], 'text/plain');
    const me = await a.client.v1.accounts.updateCredentials({ source: { statusContentType: 'text/markdown' } });
    assert.equal(me.source.statusContentType, 'text/markdown');
    prefs = await raw(url, '/api/v1/preferences', { token: a.token });
    assert.equal(prefs.json['partyline:posting:default:content_type'], 'text/markdown');
    const s = await a.client.v1.statuses.create({ status: '**bold**' });
    assert.equal(s.content, '<p><strong>bold</strong></p>');
    const p = await a.client.v1.statuses.create({ status: '**bold**', contentType: 'text/plain' });
    assert.equal(p.content, '<p>**bold**</p>', 'a post can still ask for plain text');
    await expectHttpError(a.client.v1.accounts.updateCredentials({ source: { statusContentType: 'text/html' } }), 422, /status_content_type/);
    assert.equal((await a.client.v1.accounts.verifyCredentials()).source.statusContentType, 'text/markdown', 'unchanged by the refused call');
  });
});

describe('search and filters see the text, not the markup', () => {
  test('search finds wo**rd** by "word" and not a link\'s hidden target', async () => {
    const [a] = await registerUsers(url, ['mdsearch']);
    const tag = `zq${Date.now().toString(36)}`;
    const s = await md(a, `${tag} wo**rd** [label](https://example.org/hiddentarget${tag})`);
    const found = await a.client.v2.search.list({ q: `${tag} word`, type: 'statuses' });
    assert.deepEqual(found.statuses.map((x) => x.id), [s.id]);
    const hidden = await a.client.v2.search.list({ q: `hiddentarget${tag}`, type: 'statuses' });
    assert.deepEqual(hidden.statuses, []);
    // after an edit the index follows
    await a.client.v1.statuses.$select(s.id).update({ status: `${tag} **other**` });
    assert.deepEqual((await a.client.v2.search.list({ q: `${tag} word`, type: 'statuses' })).statuses, []);
    assert.deepEqual((await a.client.v2.search.list({ q: `${tag} other`, type: 'statuses' })).statuses.map((x) => x.id), [s.id]);
  });

  test('a whole-word filter matches _secret_ (the underscores are markup, not part of the word)', async () => {
    const [a, author] = await registerUsers(url, ['mdfa', 'mdfb']);
    const f = await a.client.v2.filters.create({ title: 'Secrets', context: ['thread'], keywordsAttributes: [{ keyword: 'secret', wholeWord: true }] });
    const s = await md(author, 'this is _secret_ stuff');
    const seen = await a.client.v1.statuses.$select(s.id).fetch();
    assert.equal(seen.filtered?.length, 1, 'the filter matches the text as read');
    assert.equal(seen.filtered[0].filter.id, f.id);
  });
});

// The classic payloads (OWASP's XSS filter evasion cheat sheet and its kin), written for both
// content types: HTML, event handlers, javascript: and data: links in Markdown links and
// autolinks, entity tricks, nested markup, SVG and iframes.
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<svg/onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  '<body onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](https://ok.example" onmouseover="alert(1))',
  '[x][r]\n\n[r]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '![x](javascript:alert(1))',
  '![x" onerror="alert(1)](https://ok.example/a.png)',
  '[<script>alert(1)</script>](https://ok.example)',
  '**<script>alert(1)</script>**',
  '```\n</code><script>alert(1)</script>\n```',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  'https://ok.example/"><script>alert(1)</script>',
  '#tag"><script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  '[[x](javascript:alert(1))](https://ok.example)',
];

describe('XSS: nothing a person writes becomes markup', () => {
  test('statuses in text/plain and text/markdown', async () => {
    const [a] = await registerUsers(url, ['mdxss']);
    for (const p of PAYLOADS) {
      for (const contentType of ['text/plain', 'text/markdown']) {
        const s = await a.client.v1.statuses.create({ status: p, contentType });
        assertSafeHtml(s.content, `${contentType} ${p}`);
        assert.ok(!/<(script|img|svg|iframe|object|style|math)/i.test(s.content), `${contentType} ${p}: ${s.content}`);
      }
    }
  });

  test('profile notes and field values (HTML), and the display name in an oEmbed', async () => {
    const [a] = await registerUsers(url, ['mdxssp']);
    for (const p of PAYLOADS) {
      // (a form body turns \n into \r\n: the name is kept on one line to stay within 30)
      const name = p.replace(/\n/g, ' ').slice(0, 30);
      const me = await a.client.v1.accounts.updateCredentials({
        displayName: name,
        note: p,
        fieldsAttributes: [{ name: p.slice(0, 255), value: p.slice(0, 255) }],
      });
      assertSafeHtml(me.note, `note ${p}`);
      assertSafeHtml(me.fields[0].value, `field ${p}`);
      assert.equal(me.displayName, name, 'a display name is text (apps escape it), returned as written');
      const s = await a.client.v1.statuses.create({ status: 'embed me' });
      const o = await raw(url, `/api/oembed?url=${encodeURIComponent(s.url)}`);
      assert.equal(o.status, 200, o.text);
      assertSafeHtml(o.json.html, `oEmbed with display name ${p}`, ['cite']);
    }
  });
});
