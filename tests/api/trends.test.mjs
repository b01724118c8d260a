// Company trends: GET /api/v1/trends/tags, /statuses and /links (docs.joinmastodon.org/methods/
// trends). Tags count the posts any member could find, with seven days of history; trending
// posts are ranked by the top score (docs/api.md "Top") and audience-checked; links are empty.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { mapLimit, raw, registerUsers, startServer, uniqueName } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const ids = (list) => list.map((s) => s.id);
const DAY = 86400;

describe('trending tags', () => {
  test('count posts and authors per day for seven days, only what any member could find', async () => {
    const people = await registerUsers(url, ['a', 'b', 'c', 'd']);
    const [a, b, c, d] = people;
    const hot = uniqueName('hot').toLowerCase();
    const mild = uniqueName('mild').toLowerCase();
    const hidden = uniqueName('hid').toLowerCase();
    await a.client.v1.statuses.create({ status: `one #${hot}` });
    await a.client.v1.statuses.create({ status: `two #${hot}`, visibility: 'unlisted' });
    await b.client.v1.statuses.create({ status: `three #${hot}` });
    const company = await raw(url, '/api/v1/statuses', { method: 'POST', token: c.token, json: { status: `four #${hot}`, visibility: 'company' } });
    assert.equal(company.status, 200, company.text);
    await d.client.v1.statuses.create({ status: `once #${mild}` });
    // never counted: followers-only, direct, a private channel's post, a boost
    await a.client.v1.statuses.create({ status: `followers #${hidden}`, visibility: 'private' });
    await a.client.v1.statuses.create({ status: `@${b.username} direct #${hidden}`, visibility: 'direct' });
    const ch = await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: d.token, json: { name: uniqueName('pc'), private: true } });
    assert.equal(ch.status, 200, ch.text);
    await d.client.v1.statuses.create({ status: `inside #${hidden}`, channelId: ch.json.id });

    const tags = await d.client.v1.trends.tags.list({ limit: 20 });
    const names = tags.map((t) => t.name);
    assert.ok(names.includes(hot) && names.includes(mild), `both public tags trend: ${names}`);
    assert.ok(!names.includes(hidden), 'a tag used only where not everyone can look does not');
    assert.ok(names.indexOf(hot) < names.indexOf(mild), 'more authors rank higher');
    const t = tags.find((x) => x.name === hot);
    assert.equal(t.url, `${url}/tags/${hot}`);
    assert.equal(t.history.length, 7, 'seven days');
    const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
    assert.equal(Number(t.history[0].day), today, 'today (UTC midnight) first');
    for (let i = 1; i < 7; i++) assert.equal(Number(t.history[i].day), today - i * DAY);
    assert.equal(t.history[0].uses, '4');
    assert.equal(t.history[0].accounts, '3');
    for (let i = 1; i < 7; i++) assert.equal(t.history[i].uses, '0');

    const first = await d.client.v1.trends.tags.list({ limit: 1 });
    assert.equal(first.length, 1);
    const r = await raw(url, '/api/v1/trends/tags?limit=1&offset=1', { token: d.token });
    assert.equal(r.status, 200);
    assert.equal(r.json[0].name, names[1], 'offset skips');
    assert.match(r.headers.get('link') ?? '', /offset=0.*rel="prev"/);
    const old = await raw(url, '/api/v1/trends', { token: d.token });
    assert.deepEqual(old.json.map((x) => x.name), names.slice(0, 10), '/api/v1/trends is the old name');
  });
});

describe('trending statuses', () => {
  test('public and company posts with engagement, by score; nothing the viewer may not see', async () => {
    const [author, viewer, ...voters] = await registerUsers(url, ['auth', 'view', 'v1', 'v2', 'v3', 'v4']);
    const best = await author.client.v1.statuses.create({ status: 'three votes' });
    const company = await raw(url, '/api/v1/statuses', { method: 'POST', token: author.token, json: { status: 'company news', visibility: 'company' } });
    const good = company.json;
    const quiet = await author.client.v1.statuses.create({ status: 'no votes' });
    const secret = await author.client.v1.statuses.create({ status: 'followers only', visibility: 'private' });
    const ch = await raw(url, '/api/v1/partyline/channels', { method: 'POST', token: author.token, json: { name: uniqueName('pc'), private: true } });
    const inside = await author.client.v1.statuses.create({ status: 'private channel', channelId: ch.json.id });
    await mapLimit(voters.slice(0, 3), 3, (v) => v.client.v1.statuses.$select(best.id).favourite());
    await voters[0].client.v1.statuses.$select(good.id).favourite();
    await voters[0].client.v1.accounts.$select(author.account.id).follow();
    await voters[0].client.v1.statuses.$select(secret.id).favourite();
    await author.client.v1.statuses.$select(inside.id).favourite();

    const list = await viewer.client.v1.trends.statuses.list({ limit: 40 });
    const got = ids(list);
    assert.ok(got.indexOf(best.id) >= 0 && got.indexOf(best.id) < got.indexOf(good.id), `best first: ${got}`);
    assert.ok(!got.includes(quiet.id), 'no engagement, no trend');
    assert.ok(!got.includes(secret.id), 'followers-only posts never trend');
    assert.ok(!got.includes(inside.id), 'a private channel post never trends');

    // a viewer who blocked the author sees none of theirs
    await viewer.client.v1.accounts.$select(author.account.id).block();
    const after = ids(await viewer.client.v1.trends.statuses.list({ limit: 40 }));
    assert.ok(!after.includes(best.id) && !after.includes(good.id), 'blocked authors are left out');

    const page = await raw(url, '/api/v1/trends/statuses?limit=1&offset=1', { token: voters[0].token });
    assert.equal(page.status, 200);
    assert.equal(page.json.length, 1);
  });

  test('links are empty; trends are for signed-in members', async () => {
    const [viewer] = await registerUsers(url, ['view']);
    assert.deepEqual(await viewer.client.v1.trends.links.list(), []);
    for (const p of ['/api/v1/trends/tags', '/api/v1/trends/statuses', '/api/v1/trends/links']) {
      const r = await raw(url, p);
      assert.equal(r.status, 401, p);
    }
  });
});
