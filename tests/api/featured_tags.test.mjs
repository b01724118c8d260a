// Featured hashtags on a profile: GET/POST /api/v1/featured_tags, DELETE …/:id,
// GET /api/v1/featured_tags/suggestions, GET /api/v1/accounts/:id/featured_tags.
// Docs: methods/featured_tags, methods/accounts#featured_tags, entities/FeaturedTag; what the
// counts count: src/app/featured_tags.h, docs/api.md ("Featured hashtags").

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, NOT_FOUND, PASSWORD, passwordLogin, raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let server;
let url;
before(async () => {
  server = await startServer({ env: { PARTYLINE_MAX_FEATURED_TAGS: '3' } });
  url = server.url;
});
after(async () => {
  await server?.stop();
});

const post = (who, status, more = {}) => who.client.v1.statuses.create({ status, ...more });
const today = () => new Date().toISOString().slice(0, 10);

describe('featured tags', () => {
  test('feature, list (own and on the profile), count only the public and unlisted posts, remove', async () => {
    const [me, other] = await registerUsers(url, ['ft_me', 'ft_other']);
    await post(me, 'one #WorkFromHome');
    await post(me, 'two #workfromhome', { visibility: 'unlisted' });
    await post(me, 'three #workfromhome', { visibility: 'private' });
    await post(me, 'four #workfromhome', { visibility: 'direct' });
    const company = await raw(url, '/api/v1/statuses', { method: 'POST', token: me.token, json: { status: 'five #workfromhome', visibility: 'company' } });
    assert.equal(company.status, 200, company.text);
    await post(other, 'not mine #workfromhome');

    const made = await me.client.v1.featuredTags.create({ name: '#WorkFromHome' });
    assert.equal(made.name, 'WorkFromHome', 'the spelling the person chose');
    assert.equal(made.url, `${url}/@${me.username}/tagged/workfromhome`);
    assert.equal(made.statusesCount, '2', 'public and unlisted only, as a string as Mastodon sends it');
    assert.equal(made.lastStatusAt, today(), 'a date, as Mastodon sends it');

    const mine = await me.client.v1.featuredTags.list();
    assert.deepEqual(mine.map((f) => f.id), [made.id]);
    const seen = await other.client.v1.accounts.$select(me.account.id).featuredTags.list();
    assert.deepEqual(seen, mine, 'the same for everyone who may see the profile');
    const empty = await me.client.v1.featuredTags.create({ name: 'nothingyet' });
    assert.equal(empty.statusesCount, '0');
    assert.equal(empty.lastStatusAt ?? null, null);

    await me.client.v1.featuredTags.$select(made.id).remove();
    assert.deepEqual((await me.client.v1.featuredTags.list()).map((f) => f.id), [empty.id]);
    await expectHttpError(me.client.v1.featuredTags.$select(made.id).remove(), 404, NOT_FOUND, 'twice');
    await expectHttpError(other.client.v1.featuredTags.$select(empty.id).remove(), 404, NOT_FOUND, 'someone else\'s');
  });

  test('a name that is no hashtag, one featured already, and more than max_featured_tags are 422', async () => {
    const [me] = await registerUsers(url, ['ft_lim']);
    await expectHttpError(me.client.v1.featuredTags.create({ name: 'not a tag' }), 422, /invalid/i);
    await expectHttpError(me.client.v1.featuredTags.create({ name: '' }), 422);
    await me.client.v1.featuredTags.create({ name: 'a1' });
    await expectHttpError(me.client.v1.featuredTags.create({ name: 'A1' }), 422, /already/);
    await me.client.v1.featuredTags.create({ name: 'a2' });
    await me.client.v1.featuredTags.create({ name: 'a3' });
    await expectHttpError(me.client.v1.featuredTags.create({ name: 'a4' }), 422, /max_featured_tags/);
    assert.equal((await me.client.v1.featuredTags.list()).length, 3, 'nothing half-written');
  });

  test('suggestions: the tags of one\'s latest posts, most used first, not those featured already', async () => {
    const [me] = await registerUsers(url, ['ft_sug']);
    await post(me, '#alpha #beta');
    await post(me, '#beta #gamma', { visibility: 'private' });
    await post(me, '#beta #alpha');
    await me.client.v1.featuredTags.create({ name: 'gamma' });
    const got = await me.client.v1.featuredTags.suggestions.list();
    assert.deepEqual(got.map((t) => t.name), ['beta', 'alpha']);
    assert.equal(got[0].history.length, 7, 'Tags with their history');
  });

  test('scopes, signed out, unknown accounts', async () => {
    const [me] = await registerUsers(url, ['ft_sc']);
    await me.client.v1.featuredTags.create({ name: 'scoped' });
    const reader = await passwordLogin(url, me.app, me.username, PASSWORD, 'read:accounts');
    assert.equal((await raw(url, '/api/v1/featured_tags', { token: reader.accessToken })).status, 200);
    const r = await raw(url, '/api/v1/featured_tags', { method: 'POST', token: reader.accessToken, json: { name: 'x' } });
    assert.equal(r.status, 403, 'featuring needs write:accounts');
    assert.equal((await raw(url, `/api/v1/accounts/${me.account.id}/featured_tags`)).status, 401, 'signed out: public_read off');
    const narrow = await passwordLogin(url, me.app, me.username, PASSWORD, 'write:statuses');
    assert.equal((await raw(url, `/api/v1/accounts/${me.account.id}/featured_tags`, { token: narrow.accessToken })).status, 200,
      'Mastodon asks no scope for a profile\'s featured tags');
    assert.equal((await raw(url, '/api/v1/accounts/123456789/featured_tags', { token: me.token })).status, 404);
  });
});
