// A person's defaults for new posts, and the company's default for new people.
// Docs: methods/preferences (GET /api/v1/preferences), methods/accounts#update_credentials
// (source[privacy], source[sensitive], source[language]), entities/Account#source; ours:
// the `default_visibility` setting, `company` in source[privacy], and how replies to company
// posts are narrowed (docs/api.md, "Preferences" and "Replies to company posts").

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, NOT_FOUND, raw, registerUser, restClient, startServers, uniqueName } from './harness.mjs';

let plain; // the harness's default_visibility: public
let company; // the shipped default: company
before(async () => {
  [plain, company] = await startServers([
    {},
    { env: { PARTYLINE_DEFAULT_VISIBILITY: null, PARTYLINE_PUBLIC_READ: 'true' } },
  ]);
});
after(async () => {
  await Promise.all([plain?.stop(), company?.stop()]);
});

const prefs = async (who) => (await raw(who.url, '/api/v1/preferences', { token: who.token })).json;
const user = async (srv, prefix) => ({ ...(await registerUser(srv.url, uniqueName(prefix))), url: srv.url });
const post = (who, status, more = {}) => who.client.v1.statuses.create({ status, ...more });
const audience = (s) => s.partyline.audience;

describe('GET /api/v1/preferences', () => {
  test('a new person on a company network shares with the company: apps read "private"', async () => {
    const u = await user(company, 'pref');
    assert.deepEqual(await prefs(u), {
      'posting:default:visibility': 'private',
      'posting:default:sensitive': false,
      'posting:default:language': null,
      'reading:expand:media': 'default',
      'reading:expand:spoilers': false,
      'partyline:posting:default:audience': 'company',
      'partyline:posting:default:content_type': 'text/plain',
    });
    const viaMasto = await u.client.v1.preferences.fetch();
    assert.equal(viaMasto['posting:default:visibility'], 'private', 'masto.js reads the same');
    const me = await u.client.v1.accounts.verifyCredentials();
    assert.equal(me.source.privacy, 'private');
    assert.equal(me.source.partyline.privacy, 'company');

    // a post sent without visibility goes to the company: members see it, visitors do not
    const s = await post(u, 'for everyone at work');
    assert.equal(s.visibility, 'private');
    assert.equal(audience(s), 'company');
    const colleague = await user(company, 'coll');
    assert.equal((await colleague.client.v1.statuses.$select(s.id).fetch()).id, s.id);
    await expectHttpError(restClient(company.url).v1.statuses.$select(s.id).fetch(), 404, NOT_FOUND, 'signed out');
  });

  test('default_visibility = public gives new people Mastodon\'s default', async () => {
    const u = await user(plain, 'pub');
    assert.equal((await prefs(u))['posting:default:visibility'], 'public');
    assert.equal((await prefs(u))['partyline:posting:default:audience'], 'public');
    assert.equal(audience(await post(u, 'hello world')), 'public');
  });

  test('needs a signed-in person with read:accounts', async () => {
    assert.equal((await raw(plain.url, '/api/v1/preferences')).status, 401);
    const madeUp = await raw(plain.url, '/api/v1/preferences', { token: 'made-up-token-0123456789abcdef' });
    assert.equal(madeUp.status, 401, 'a made-up token');
    assert.equal(typeof madeUp.json.error, 'string');
  });
});

describe('update_credentials source[…] sets them', () => {
  test('privacy, sensitive and language show in preferences and source, and apply to new posts', async () => {
    const u = await user(company, 'set');
    let me = await u.client.v1.accounts.updateCredentials({
      source: { privacy: 'unlisted', sensitive: true, language: 'de' },
    });
    assert.equal(me.source.privacy, 'unlisted');
    assert.equal(me.source.partyline.privacy, 'unlisted');
    assert.equal(me.source.sensitive, true);
    assert.equal(me.source.language, 'de');
    assert.deepEqual(await prefs(u), {
      'posting:default:visibility': 'unlisted',
      'posting:default:sensitive': true,
      'posting:default:language': 'de',
      'reading:expand:media': 'default',
      'reading:expand:spoilers': false,
      'partyline:posting:default:audience': 'unlisted',
      'partyline:posting:default:content_type': 'text/plain',
    });
    const s = await post(u, 'guten Tag');
    assert.equal(s.visibility, 'unlisted');
    assert.equal(s.sensitive, true);
    assert.equal(s.language, 'de');

    // form encoding, as most apps send it; "private" is followers-only, "company" ours
    let r = await raw(company.url, '/api/v1/accounts/update_credentials', {
      method: 'PATCH',
      token: u.token,
      form: { 'source[privacy]': 'private', 'source[sensitive]': 'false', 'source[language]': '' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.source.privacy, 'private');
    assert.equal(r.json.source.partyline.privacy, 'private');
    assert.equal((await prefs(u))['posting:default:language'], null, 'an empty language clears it');
    assert.equal(audience(await post(u, 'followers')), 'private');
    me = await u.client.v1.accounts.updateCredentials({ source: { privacy: 'company' } });
    assert.equal(me.source.privacy, 'private', 'apps read company as private');
    assert.equal(me.source.partyline.privacy, 'company');
    assert.equal(audience(await post(u, 'company again')), 'company');
  });

  test('a bad value is 422, naming it, and nothing of the update is written', async () => {
    const u = await user(company, 'bad');
    const before = await prefs(u);
    for (const [source, re] of [
      [{ privacy: 'direct' }, /source\[privacy\] must be public, unlisted, private or company/],
      [{ privacy: 'everyone' }, /source\[privacy\]/],
      [{ language: 'not a language' }, /Language is not a language code/],
      [{ language: 'x' }, /Language is not a language code/],
      [{ sensitive: 'maybe' }, /source\[sensitive\] must be a boolean/],
    ]) {
      await expectHttpError(
        u.client.v1.accounts.updateCredentials({ displayName: 'Changed', source }),
        422,
        re,
        JSON.stringify(source),
      );
    }
    assert.deepEqual(await prefs(u), before);
    assert.notEqual((await u.client.v1.accounts.verifyCredentials()).displayName, 'Changed');
  });
});

describe('replies to company posts stay in the company', () => {
  let author;
  let colleague;
  let root;
  before(async () => {
    author = await user(company, 'ra');
    colleague = await user(company, 'rc');
    await colleague.client.v1.accounts.updateCredentials({ source: { privacy: 'public' } });
    root = await post(author, 'a question for the company');
    assert.equal(audience(root), 'company');
  });
  const reply = (more) => post(colleague, `@${author.username} an answer`, { inReplyToId: root.id, ...more });

  test('without visibility: the narrower of the replier\'s default (public) and the post\'s', async () => {
    assert.equal(audience(await reply({})), 'company');
  });

  test('"public" and "unlisted", which apps may send, become company', async () => {
    const pub = await reply({ visibility: 'public' });
    assert.equal(audience(pub), 'company');
    assert.equal(pub.visibility, 'private');
    assert.equal(audience(await reply({ visibility: 'unlisted' })), 'company');
    // and a signed-out visitor (public_read is on here) does not see them
    await expectHttpError(restClient(company.url).v1.statuses.$select(pub.id).fetch(), 404, NOT_FOUND);
  });

  test('"private" stays followers-only and "direct" direct: never wider than asked', async () => {
    assert.equal(audience(await reply({ visibility: 'private' })), 'private');
    assert.equal(audience(await reply({ visibility: 'direct' })), 'direct');
  });

  test('a reply without visibility to a followers-only post is followers-only, as Mastodon\'s client picks', async () => {
    const closed = await post(author, 'followers only', { visibility: 'private' });
    await colleague.client.v1.accounts.$select(author.account.id).follow();
    const r = await post(colleague, `@${author.username} ok`, { inReplyToId: closed.id });
    assert.equal(audience(r), 'private');
    // a public reply asked for is public: Mastodon lets one answer a followers-only post openly
    const open = await post(colleague, `@${author.username} ok`, { inReplyToId: closed.id, visibility: 'public' });
    assert.equal(audience(open), 'public');
  });

  test('a reply to a public post keeps the replier\'s company default', async () => {
    const pub = await post(colleague, 'an open post', { visibility: 'public' });
    const r = await post(author, `@${colleague.username} hi`, { inReplyToId: pub.id });
    assert.equal(audience(r), 'company');
  });
});
