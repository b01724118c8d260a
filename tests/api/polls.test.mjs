// Polls: a status with a poll, the Poll entity (per viewer), voting, hide_totals, the end of a
// poll and its "poll" notifications, privacy, limits, and editing a poll.
// Docs: methods/statuses (poll[…]), entities/Poll, methods/polls, entities/StatusEdit,
// methods/instance (configuration.polls).
//
// The server runs with poll_min_expiration = 1 second so that polls can end during the test;
// tests wait for an end by asking the API until a deadline, never by sleeping and hoping.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectHttpError, NOT_FOUND, raw, registerUsers, restClient, startServer } from './harness.mjs';

let server;
let url;

const LIMITS = { maxOptions: 4, maxCharactersPerOption: 50, minExpiration: 1, maxExpiration: 2629746 };

before(async () => {
  server = await startServer({ env: { PARTYLINE_PUBLIC_READ: 'true', PARTYLINE_POLL_MIN_EXPIRATION: '1' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

/** Asks fn() until it returns a truthy value; fails after ms. */
async function until(fn, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ask = (who, options = ['yes', 'no'], extra = {}) =>
  who.client.v1.statuses.create({ status: 'what do you think?', poll: { options, expiresIn: 3600, ...extra } });

describe('creating a status with a poll', () => {
  test('the poll is rendered on the status and by GET /api/v1/polls/:id', async () => {
    const [a] = await registerUsers(url, ['pa']);
    const before = Date.now();
    const s = await ask(a, ['tea', 'coffee', 'water']);
    const p = s.poll;
    assert.ok(p, 'the status carries its poll');
    assert.match(p.id, /^\d+$/);
    assert.equal(p.expired, false);
    assert.equal(p.multiple, false);
    assert.equal(p.votesCount, 0);
    assert.equal(p.votersCount, null, 'voters_count is null on a single-choice poll');
    assert.deepEqual(p.options, [
      { title: 'tea', votesCount: 0 },
      { title: 'coffee', votesCount: 0 },
      { title: 'water', votesCount: 0 },
    ]);
    assert.deepEqual(p.emojis, []);
    assert.equal(p.voted, false);
    assert.deepEqual(p.ownVotes, []);
    const ends = Date.parse(p.expiresAt);
    assert.ok(ends >= before + 3600_000 - 5000 && ends <= Date.now() + 3600_000 + 5000, `expires_at ${p.expiresAt}`);

    const fetched = await a.client.v1.polls.$select(p.id).fetch();
    assert.deepEqual(fetched, p);
    const again = await a.client.v1.statuses.$select(s.id).fetch();
    assert.deepEqual(again.poll, p);
  });

  test('form bodies with poll[options][] and a JSON body both work; multiple and hide_totals read as booleans', async () => {
    const [a] = await registerUsers(url, ['pf']);
    const form = new URLSearchParams();
    form.append('status', 'form poll');
    form.append('poll[options][]', 'one');
    form.append('poll[options][]', 'two');
    form.append('poll[expires_in]', '600');
    form.append('poll[multiple]', 'true');
    const r = await raw(url, '/api/v1/statuses', { method: 'POST', token: a.token, body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.poll.options.map((o) => o.title), ['one', 'two']);
    assert.equal(r.json.poll.multiple, true);
    assert.equal(r.json.poll.voters_count, 0, 'voters_count is a number on a multiple-choice poll');

    const indexed = new URLSearchParams();
    indexed.append('status', 'indexed form poll');
    indexed.append('poll[options][0]', 'first');
    indexed.append('poll[options][1]', 'second');
    indexed.append('poll[expires_in]', '600');
    const r2 = await raw(url, '/api/v1/statuses', { method: 'POST', token: a.token, body: indexed, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(r2.status, 200, r2.text);
    assert.deepEqual(r2.json.poll.options.map((o) => o.title), ['first', 'second']);

    const j = await raw(url, '/api/v1/statuses', {
      method: 'POST',
      token: a.token,
      json: { status: 'json poll', poll: { options: ['a', 'b'], expires_in: '600', hide_totals: true } },
    });
    assert.equal(j.status, 200, j.text);
    assert.equal(j.json.poll.multiple, false);
    assert.deepEqual(j.json.poll.options, [
      { title: 'a', votes_count: null },
      { title: 'b', votes_count: null },
    ]);
  });

  test('signed out, the poll has no voted / own_votes', async () => {
    const [a] = await registerUsers(url, ['po']);
    const s = await ask(a);
    const anon = restClient(url);
    const p = await anon.v1.polls.$select(s.poll.id).fetch();
    assert.equal(p.id, s.poll.id);
    const r = await raw(url, `/api/v1/polls/${s.poll.id}`);
    assert.equal(r.status, 200);
    assert.ok(!('voted' in r.json) && !('own_votes' in r.json), JSON.stringify(r.json));
    const st = await raw(url, `/api/v1/statuses/${s.id}`);
    assert.ok(!('voted' in st.json.poll), 'nor on the status');
  });

  test('a status without a poll has "poll": null, and a boost shows the poll on the original only', async () => {
    const [a, b] = await registerUsers(url, ['pn', 'pb']);
    const plain = await a.client.v1.statuses.create({ status: 'no poll' });
    assert.equal(plain.poll, null);
    const s = await ask(a);
    const boost = await b.client.v1.statuses.$select(s.id).reblog();
    assert.equal(boost.poll, null);
    assert.equal(boost.reblog.poll.id, s.poll.id);
  });
});

describe('limits', () => {
  test('/api/v1/instance and /api/v2/instance report the configured poll limits', async () => {
    const v1 = await restClient(url).v1.instance.fetch();
    assert.deepEqual(v1.configuration.polls, LIMITS);
    const v2 = await restClient(url).v2.instance.fetch();
    assert.deepEqual(v2.configuration.polls, LIMITS);
  });

  test('bad polls are 422 saying what is wrong, and nothing is posted', async () => {
    const [a] = await registerUsers(url, ['pl']);
    const cases = [
      [{ options: ['a', 'b', 'c', 'd', 'e'], expiresIn: 600 }, /at most 4 options/],
      [{ options: ['only'], expiresIn: 600 }, /at least 2 options/],
      [{ options: ['a', 'x'.repeat(51)], expiresIn: 600 }, /longer than 50 characters/],
      [{ options: ['a', 'a'], expiresIn: 600 }, /same/],
      [{ options: ['a', '  '], expiresIn: 600 }, /blank/],
      [{ options: ['a', 'b'], expiresIn: 0 }, /at least 1 seconds/],
      [{ options: ['a', 'b'], expiresIn: 2629747 }, /at most 2629746 seconds/],
      [{ options: ['a', 'b'] }, /expires_in/],
    ];
    for (const [poll, re] of cases) {
      await expectHttpError(a.client.v1.statuses.create({ status: 'bad poll', poll }), 422, re, JSON.stringify(poll));
    }
    const ok = await ask(a, ['a', 'x'.repeat(50), 'c', 'd']);
    assert.equal(ok.poll.options.length, 4, 'the limits themselves are allowed');
    const mine = await a.client.v1.accounts.$select(a.account.id).statuses.list();
    assert.deepEqual(mine.map((s) => s.id), [ok.id], 'no rejected status was written');
    const both = await raw(url, '/api/v1/statuses', {
      method: 'POST',
      token: a.token,
      json: { status: 'both', media_ids: ['1'], poll: { options: ['a', 'b'], expires_in: 600 } },
    });
    assert.equal(both.status, 422);
    assert.match(both.json.error, /media attachments or a poll/);
    const after = await a.client.v1.accounts.$select(a.account.id).statuses.list();
    assert.deepEqual(after.map((s) => s.id), [ok.id], 'the status with both was not written');
  });
});

describe('voting', () => {
  test('single choice: counts, voted and own_votes differ per viewer, and the second vote is 422', async () => {
    const [a, b, c] = await registerUsers(url, ['va', 'vb', 'vc']);
    const s = await ask(a, ['red', 'green', 'blue']);
    // c reads first, so its event loop may keep the status; the vote must still show
    const seen = await c.client.v1.statuses.$select(s.id).fetch();
    assert.equal(seen.poll.votesCount, 0);

    const voted = await b.client.v1.polls.$select(s.poll.id).votes.create({ choices: [1] });
    assert.equal(voted.voted, true);
    assert.deepEqual(voted.ownVotes, [1]);
    assert.equal(voted.votesCount, 1);
    assert.deepEqual(voted.options.map((o) => o.votesCount), [0, 1, 0]);

    const forC = await c.client.v1.statuses.$select(s.id).fetch();
    assert.equal(forC.poll.votesCount, 1, 'results are never stale');
    assert.equal(forC.poll.voted, false, 'c has not voted');
    assert.deepEqual(forC.poll.ownVotes, []);
    const forB = await b.client.v1.statuses.$select(s.id).fetch();
    assert.equal(forB.poll.voted, true, 'b has voted');
    assert.deepEqual(forB.poll.ownVotes, [1]);
    const home = await a.client.v1.timelines.home.list();
    const inFeed = home.find((x) => x.id === s.id);
    assert.equal(inFeed.poll.voted, false, 'the author has not voted');
    assert.equal(inFeed.poll.votesCount, 1);

    await expectHttpError(b.client.v1.polls.$select(s.poll.id).votes.create({ choices: [2] }), 422, /already voted/);
    await expectHttpError(c.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0, 2] }), 422, /one choice/);
    await expectHttpError(c.client.v1.polls.$select(s.poll.id).votes.create({ choices: [3] }), 422, /Invalid choice/);
    await expectHttpError(c.client.v1.polls.$select(s.poll.id).votes.create({ choices: [-1] }), 422, /Invalid choice/);
    await expectHttpError(c.client.v1.polls.$select(s.poll.id).votes.create({ choices: [] }), 422, /choices/);
    const after = await c.client.v1.polls.$select(s.poll.id).fetch();
    assert.equal(after.votesCount, 1, 'refused votes count nothing');
    assert.equal(after.voted, false);

    // the author may vote on their own poll (Mastodon's PollPolicy allows it)
    const own = await a.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] });
    assert.deepEqual(own.options.map((o) => o.votesCount), [1, 1, 0]);
  });

  test('multiple choice: several choices at once, votes_count counts choices and voters_count people', async () => {
    const [a, b, c] = await registerUsers(url, ['ma', 'mb', 'mc']);
    const s = await ask(a, ['x', 'y', 'z', 'w'], { multiple: true });
    await b.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0, 2, 3] });
    const r = await raw(url, `/api/v1/polls/${s.poll.id}/votes`, { method: 'POST', token: c.token, form: { 'choices[]': '2' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.own_votes, [2]);
    assert.equal(r.json.votes_count, 4);
    assert.equal(r.json.voters_count, 2);
    assert.deepEqual(r.json.options.map((o) => o.votes_count), [1, 0, 2, 1]);
    await expectHttpError(c.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] }), 422, /already voted/);
    const [d] = await registerUsers(url, ['md']);
    await expectHttpError(d.client.v1.polls.$select(s.poll.id).votes.create({ choices: [1, 1] }), 422, /twice/);
  });

  test('hide_totals: option counts are null until the poll ends, for everyone', async () => {
    const [a, b] = await registerUsers(url, ['ha', 'hb']);
    const s = await a.client.v1.statuses.create({ status: 'secret ballot', poll: { options: ['p', 'q'], expiresIn: 2, hideTotals: true } });
    const v = await b.client.v1.polls.$select(s.poll.id).votes.create({ choices: [1] });
    assert.deepEqual(v.options.map((o) => o.votesCount), [null, null]);
    assert.equal(v.votesCount, 1, 'the total is shown');
    const forAuthor = await a.client.v1.polls.$select(s.poll.id).fetch();
    assert.deepEqual(forAuthor.options.map((o) => o.votesCount), [null, null]);
    const ended = await until(async () => {
      const p = await b.client.v1.polls.$select(s.poll.id).fetch();
      return p.expired && p;
    }, 'the poll ends');
    assert.deepEqual(ended.options.map((o) => o.votesCount), [0, 1], 'published once ended');
  });

  test('an ended poll refuses votes (422) and both voters and the author are notified once', async () => {
    const [a, b, c, d] = await registerUsers(url, ['ea', 'eb', 'ec', 'ed']);
    const s = await a.client.v1.statuses.create({ status: 'quick one', poll: { options: ['now', 'later'], expiresIn: 2 } });
    await b.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] });
    await c.client.v1.polls.$select(s.poll.id).votes.create({ choices: [1] });
    await until(async () => (await d.client.v1.polls.$select(s.poll.id).fetch()).expired, 'the poll ends');
    await expectHttpError(d.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] }), 422, /already ended/);

    for (const [who, name] of [[a, 'the author'], [b, 'voter b'], [c, 'voter c']]) {
      const notes = await until(async () => {
        const n = await who.client.v1.notifications.list({ types: ['poll'] });
        return n.length > 0 && n;
      }, `${name} is told the poll ended`);
      assert.equal(notes.length, 1, `${name} gets one poll notification`);
      assert.equal(notes[0].type, 'poll');
      assert.equal(notes[0].status.id, s.id);
      assert.equal(notes[0].account.id, a.account.id, 'from the poll author');
      assert.equal(notes[0].status.poll.expired, true);
    }
    // one more writer pass must not send them again
    await new Promise((r) => setTimeout(r, 2500));
    for (const who of [a, b, c]) assert.equal((await who.client.v1.notifications.list({ types: ['poll'] })).length, 1);
    assert.equal((await d.client.v1.notifications.list({ types: ['poll'] })).length, 0, 'no vote, no notification');
  });
});

describe('privacy', () => {
  test('a poll\'s end is told only to voters who may still see the post (not one who unfollowed or was blocked)', async () => {
    const [a, stays, leaves, blocked] = await registerUsers(url, ['pva', 'pvs', 'pvl', 'pvb']);
    for (const p of [stays, leaves, blocked]) await p.client.v1.accounts.$select(a.account.id).follow();
    const s = await a.client.v1.statuses.create({ status: 'friends vote', visibility: 'private', poll: { options: ['x', 'y'], expiresIn: 2 } });
    for (const p of [stays, leaves, blocked]) await p.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] });
    await leaves.client.v1.accounts.$select(a.account.id).unfollow();
    await a.client.v1.accounts.$select(blocked.account.id).block();
    // one writer pass notifies every voter of a poll in one transaction: once the one who
    // still follows is told, the others would have been too
    await until(async () => (await stays.client.v1.notifications.list({ types: ['poll'] })).length > 0, 'the remaining follower is told');
    // seeing the post again later must not bring up a notification they were never owed
    await a.client.v1.accounts.$select(blocked.account.id).unblock();
    for (const p of [leaves, blocked]) await p.client.v1.accounts.$select(a.account.id).follow();
    for (const [p, name] of [[leaves, 'the voter who unfollowed'], [blocked, 'the voter who was blocked']]) {
      assert.equal((await p.client.v1.statuses.$select(s.id).fetch()).id, s.id, `${name} sees the post again`);
      const notes = await p.client.v1.notifications.list({ types: ['poll'] });
      assert.equal(notes.length, 0, `${name} was not told of the end of a poll they could not see`);
    }
  });

  test("a followers-only status's poll is 404 to a non-follower, for reading and voting", async () => {
    const [a, follower, stranger] = await registerUsers(url, ['xa', 'xf', 'xs']);
    await follower.client.v1.accounts.$select(a.account.id).follow();
    const s = await a.client.v1.statuses.create({ status: 'friends only', visibility: 'private', poll: { options: ['a', 'b'], expiresIn: 600 } });
    await expectHttpError(stranger.client.v1.polls.$select(s.poll.id).fetch(), 404, NOT_FOUND);
    await expectHttpError(stranger.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] }), 404, NOT_FOUND);
    const anon = await raw(url, `/api/v1/polls/${s.poll.id}`);
    assert.equal(anon.status, 404);
    const ok = await follower.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] });
    assert.equal(ok.votesCount, 1);
    await expectHttpError(stranger.client.v1.polls.$select('12345').fetch(), 404, NOT_FOUND);
  });

  test('deleting the status deletes its poll', async () => {
    const [a] = await registerUsers(url, ['da']);
    const s = await ask(a);
    await a.client.v1.statuses.$select(s.id).remove();
    await expectHttpError(a.client.v1.polls.$select(s.poll.id).fetch(), 404, NOT_FOUND);
  });
});

describe('editing', () => {
  test('changing the options resets the votes; history shows each revision\'s options; no poll removes it', async () => {
    const [a, b] = await registerUsers(url, ['ja', 'jb']);
    const s = await ask(a, ['one', 'two']);
    await b.client.v1.polls.$select(s.poll.id).votes.create({ choices: [0] });

    const same = await a.client.v1.statuses.$select(s.id).update({ status: 'reworded', poll: { options: ['one', 'two'], expiresIn: 7200 } });
    assert.equal(same.poll.id, s.poll.id);
    assert.equal(same.poll.votesCount, 1, 'same options: the votes stay');
    assert.ok(Date.parse(same.poll.expiresAt) > Date.parse(s.poll.expiresAt), 'expires_in runs from the edit');

    const changed = await a.client.v1.statuses.$select(s.id).update({ status: 'reworded', poll: { options: ['one', 'two', 'three'], expiresIn: 600 } });
    assert.equal(changed.poll.votesCount, 0, 'new options: the votes are reset');
    assert.deepEqual(changed.poll.options.map((o) => o.votesCount), [0, 0, 0]);
    const forB = await b.client.v1.polls.$select(s.poll.id).fetch();
    assert.equal(forB.voted, false, 'b may vote again');
    await b.client.v1.polls.$select(s.poll.id).votes.create({ choices: [2] });

    await expectHttpError(
      a.client.v1.statuses.$select(s.id).update({ status: 'x', poll: { options: ['a'], expiresIn: 600 } }),
      422,
      /at least 2 options/,
    );

    const hist = await a.client.v1.statuses.$select(s.id).history.list();
    assert.deepEqual(
      hist.map((e) => e.poll?.options.map((o) => o.title)),
      [['one', 'two'], ['one', 'two'], ['one', 'two', 'three']],
    );

    const gone = await a.client.v1.statuses.$select(s.id).update({ status: 'no more poll' });
    assert.equal(gone.poll, null);
    await expectHttpError(b.client.v1.polls.$select(s.poll.id).fetch(), 404, NOT_FOUND);
    const hist2 = await raw(url, `/api/v1/statuses/${s.id}/history`, { token: a.token });
    assert.ok(!('poll' in hist2.json.at(-1)), 'a revision without a poll has no "poll"');

    const added = await a.client.v1.statuses.$select(s.id).update({ status: 'poll again', poll: { options: ['new', 'old'], expiresIn: 600 } });
    assert.deepEqual(added.poll.options.map((o) => o.title), ['new', 'old']);
  });

  test('a never-edited status\'s history carries its poll', async () => {
    const [a] = await registerUsers(url, ['ka']);
    const s = await ask(a, ['left', 'right']);
    const hist = await a.client.v1.statuses.$select(s.id).history.list();
    assert.equal(hist.length, 1);
    assert.deepEqual(hist[0].poll.options, [{ title: 'left' }, { title: 'right' }]);
  });
});
