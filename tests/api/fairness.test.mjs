// Bounded queues and fairness (issue 10 item 9). Slow work — sign-ins (argon2id), trends,
// ranked search, deep search pages, long top windows — runs on the workers; one account may
// have only slow_per_account jobs queued or running there at once (an address without a
// valid token slow_per_ip), and a request beyond is refused at once (429, Retry-After), never
// queued. Both queues are bounded (slow_queue_max, write_queue_max): past the bound, 503 at
// once. Docs: README "Settings", docs/ARCHITECTURE.md "A request's path".
//
// Distinct client addresses come from X-Forwarded-For with trusted_proxies = 127.0.0.1.
// The assertions are on behaviour (who was refused, who was served, what was answered), not
// on timings, which a loaded machine makes meaningless.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createApp, METRICS_TOKEN, PASSWORD, raw, registerUser, startServers, uniqueName } from './harness.mjs';

let fair; // the defaults: slow_per_ip 8, two workers
let capped; // one worker for everything slow, slow_per_account 4, deep pages from offset 2
let pools; // one worker for sign-ins, one for expensive reads, deep pages from offset 2
let smallSlow; // slow_queue_max 2, no per-client cap, one worker
let smallWrites; // write_queue_max 1

// sign-ins at argon2id's shipped cost: they are the slow work whose queueing is tested
const proxied = { PARTYLINE_TRUSTED_PROXIES: '127.0.0.1', PARTYLINE_RATE_LIMIT_IP: '100000', PARTYLINE_RATE_LIMIT_TOKEN: '100000', PARTYLINE_PASSWORD_HASH_MEMORY: null };

before(async () => {
  [fair, capped, pools, smallSlow, smallWrites] = await startServers([
    { env: { ...proxied } },
    { env: { ...proxied, PARTYLINE_SLOW_PER_ACCOUNT: '4', PARTYLINE_WORKERS: '1', PARTYLINE_READ_WORKERS: '0', PARTYLINE_SLOW_READ_OFFSET: '2' } },
    { env: { ...proxied, PARTYLINE_WORKERS: '1', PARTYLINE_READ_WORKERS: '1', PARTYLINE_SLOW_READ_OFFSET: '2' } },
    { env: { ...proxied, PARTYLINE_SLOW_QUEUE_MAX: '2', PARTYLINE_SLOW_PER_ACCOUNT: '0', PARTYLINE_SLOW_PER_IP: '0', PARTYLINE_WORKERS: '1', PARTYLINE_READ_WORKERS: '0' } },
    { env: { ...proxied, PARTYLINE_WRITE_QUEUE_MAX: '1' } },
  ]);
});

after(async () => {
  await Promise.all([fair, capped, pools, smallSlow, smallWrites].filter(Boolean).map((s) => s.stop()));
});

const from = (ip) => ({ 'X-Forwarded-For': ip });

function signIn(url, app, ip, username, password) {
  return raw(url, '/oauth/token', {
    method: 'POST',
    headers: from(ip),
    form: { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username, password, scope: 'read' },
  });
}

const CAP = /at once from you/i;
const BUSY = /too busy/i;

async function metric(url, line) {
  const r = await raw(url, '/metrics', { token: METRICS_TOKEN });
  const m = r.text.split('\n').find((l) => l.startsWith(line + ' '));
  return m ? Number(m.split(' ')[1]) : NaN;
}

// Sends n sign-ins with wrong passwords from distinct addresses (none is capped) and waits
// until at least `waiting` of them wait for a worker (partyline_slow_queue_depth): what is
// sent next queues behind them. Returns the sign-ins' answers (a promise).
async function occupyWorkers(url, app, n, prefix, waiting = 0) {
  const all = Promise.all(Array.from({ length: n }, (_, i) => signIn(url, app, `${prefix}.${i + 1}`, `${prefix}-${i}@example.com`, 'wrong')));
  for (let i = 0; i < 400 && waiting > 0; i++) {
    if ((await metric(url, 'partyline_slow_queue_depth')) >= waiting) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { answers: all };
}

describe('fairness per client on the workers', () => {
  test('200 wrong passwords from one address are refused at once past the cap; a sign-in from another address is served', async () => {
    const s = fair;
    const alice = await registerUser(s.url, uniqueName('fa'), { verify: false });
    const bob = await registerUser(s.url, uniqueName('fb'), { verify: false });
    const app = await createApp(s.url);
    // someone guesses bob's password (alice's own failures would rightly throttle her: auth.c)
    const flood = Array.from({ length: 200 }, () => signIn(s.url, app, '10.9.0.1', bob.email, 'not the password'));
    const real = await signIn(s.url, app, '10.9.0.2', alice.email, PASSWORD);
    const answers = await Promise.all(flood);
    assert.equal(real.status, 200, `the real sign-in succeeds during the flood: ${real.text}`);
    assert.ok(real.json?.access_token, 'and it gets a token');
    const capped429 = answers.filter((r) => r.status === 429 && CAP.test(r.json?.error ?? ''));
    assert.ok(capped429.length > 0, `the flood is refused past slow_per_ip: ${[...new Set(answers.map((r) => `${r.status} ${r.json?.error}`))]}`);
    assert.ok(capped429.length >= 100, `most of 200 simultaneous requests are refused, not queued (${capped429.length})`);
    assert.match(capped429[0].headers.get('retry-after') ?? '', /^\d+$/, 'a refusal says when to come back');
    for (const r of answers) assert.ok([400, 401, 429].includes(r.status), `no flood request succeeds or fails otherwise: ${r.status} ${r.text}`);
    assert.ok((await metric(s.url, 'partyline_queue_refused_total{queue="slow",reason="client"}')) >= capped429.length, 'the refusals are counted');
  });

  test('deep search pages run on the workers under the per-account cap; shallow ones and other accounts are served', async () => {
    const s = capped;
    const alice = await registerUser(s.url, uniqueName('fca'), { verify: false });
    const bob = await registerUser(s.url, uniqueName('fcb'), { verify: false });
    const app = await createApp(s.url);
    const word = uniqueName('deep').replace(/[^a-z0-9]/gi, '');
    const posted = [];
    for (let i = 0; i < 5; i++) {
      const r = await raw(s.url, '/api/v1/statuses', { method: 'POST', token: alice.token, json: { status: `${word} number ${i}`, visibility: 'public' } });
      assert.equal(r.status, 200, r.text);
      posted.push(r.json.id);
    }
    const search = (who, offset) => raw(s.url, `/api/v2/search?q=${word}&type=statuses&limit=2&offset=${offset}`, { token: who.token });
    // a deep page (offset >= slow_read_offset = 2) from the workers answers what the loop would
    const newest = (await search(alice, 0)).json.statuses.map((x) => x.id);
    assert.deepEqual(newest, [posted[4], posted[3]], 'the first page, inline');
    const deep = await search(alice, 2);
    assert.equal(deep.status, 200, deep.text);
    assert.deepEqual(deep.json.statuses.map((x) => x.id), [posted[2], posted[1]], 'offset 2, on a worker');

    const blockers = (await occupyWorkers(s.url, app, 6, '10.8.0', 3)).answers;
    const deepOnes = await Promise.all(Array.from({ length: 8 }, () => search(alice, 2)));
    const shallow = await Promise.all(Array.from({ length: 8 }, () => search(alice, 0)));
    const other = await search(bob, 2);
    await blockers;
    const refused = deepOnes.filter((r) => r.status === 429);
    assert.ok(refused.length >= 1, `8 parallel deep searches of one account: past 4 refused (${deepOnes.map((r) => r.status)})`);
    assert.ok(refused.length <= 4, `at least 4 are taken (${deepOnes.map((r) => r.status)})`);
    for (const r of refused) assert.match(r.json?.error ?? '', CAP);
    for (const r of deepOnes.filter((x) => x.status !== 429)) assert.deepEqual(r.json.statuses.map((x) => x.id), [posted[2], posted[1]]);
    assert.deepEqual(shallow.map((r) => r.status), Array(8).fill(200), 'first pages run on the loops: no cap');
    assert.equal(other.status, 200, `another account's deep search is served: ${other.text}`);
  });

  test('top feeds over a long window run on the workers under the same cap', async () => {
    const s = capped;
    const alice = await registerUser(s.url, uniqueName('fta'), { verify: false });
    const app = await createApp(s.url);
    const top = (window) => raw(s.url, `/api/v1/partyline/timelines/top?feed=public&window=${window}`, { token: alice.token });
    assert.equal((await top('30d')).status, 200, 'a 30d window answers');
    const blockers = (await occupyWorkers(s.url, app, 6, '10.7.0', 3)).answers;
    const long = await Promise.all(Array.from({ length: 8 }, () => top('30d')));
    const day = await Promise.all(Array.from({ length: 8 }, () => top('24h')));
    await blockers;
    const refused = long.filter((r) => r.status === 429);
    assert.ok(refused.length >= 1 && refused.length <= 4, `8 parallel 30d rankings of one account: past 4 refused (${long.map((r) => r.status)})`);
    assert.deepEqual(day.map((r) => r.status), Array(8).fill(200), 'a 24h window runs on the loops');
    const bad = await top('1h');
    assert.equal(bad.status, 422, 'a bad window is still answered 422 (on a worker)');
  });
});

describe('expensive reads have workers of their own', () => {
  test('a deep search is answered while sign-ins keep the password workers busy', async () => {
    const s = pools;
    const alice = await registerUser(s.url, uniqueName('fpa'), { verify: false });
    const app = await createApp(s.url);
    const word = uniqueName('pool').replace(/[^a-z0-9]/gi, '');
    for (let i = 0; i < 3; i++) {
      const r = await raw(s.url, '/api/v1/statuses', { method: 'POST', token: alice.token, json: { status: `${word} ${i}` } });
      assert.equal(r.status, 200, r.text);
    }
    let answered = 0;
    const n = 20;
    const signIns = Promise.all(
      Array.from({ length: n }, (_, i) => signIn(s.url, app, `10.5.0.${i + 1}`, `p${i}-${word}@example.com`, 'wrong').then((r) => (answered++, r))),
    );
    for (let i = 0; i < 400 && (await metric(s.url, 'partyline_slow_queue_depth')) < 3; i++) await new Promise((r) => setTimeout(r, 5));
    const deep = await raw(s.url, `/api/v2/search?q=${word}&type=statuses&limit=1&offset=2`, { token: alice.token });
    const answeredThen = answered;
    await signIns;
    assert.equal(deep.status, 200, deep.text);
    assert.equal(deep.json.statuses.length, 1, 'the oldest of three');
    assert.ok(answeredThen < n, `the search did not wait behind the ${n} sign-ins (${answeredThen} answered before it)`);
  });
});

describe('bounded queues', () => {
  test('past slow_queue_max jobs waiting, a slow request is refused at once with 503', async () => {
    const s = smallSlow;
    const app = await createApp(s.url);
    const answers = await (await occupyWorkers(s.url, app, 30, '10.6.0')).answers;
    const busy = answers.filter((r) => r.status === 503);
    assert.ok(busy.length > 0, `some of 30 simultaneous sign-ins are refused: ${answers.map((r) => r.status)}`);
    assert.match(busy[0].json?.error ?? '', BUSY);
    assert.match(busy[0].headers.get('retry-after') ?? '', /^\d+$/);
    for (const r of answers) assert.ok([400, 401, 503].includes(r.status), `${r.status} ${r.text}`);
    assert.equal(await metric(s.url, 'partyline_queue_refused_total{queue="slow",reason="full"}'), busy.length, 'counted');
  });

  test('past write_queue_max writes waiting, a write is refused at once with 503 and nothing is written', async () => {
    const s = smallWrites;
    const alice = await registerUser(s.url, uniqueName('fw'), { verify: false });
    const word = uniqueName('w').replace(/[^a-z0-9]/gi, '');
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => raw(s.url, '/api/v1/statuses', { method: 'POST', token: alice.token, json: { status: `${word} ${i}` } })),
    );
    const busy = answers.filter((r) => r.status === 503);
    const ok = answers.filter((r) => r.status === 200);
    assert.ok(busy.length > 0, `some of 100 simultaneous writes are refused: ${answers.map((r) => r.status)}`);
    assert.equal(busy.length + ok.length, 100, 'every other write succeeds');
    assert.match(busy[0].json?.error ?? '', BUSY);
    assert.equal(await metric(s.url, 'partyline_queue_refused_total{queue="write",reason="full"}'), busy.length, 'counted');
    const mine = await raw(s.url, `/api/v1/accounts/${ok[0].json.account.id}/statuses?limit=40`, { token: alice.token });
    let seen = mine.json.length;
    let next = mine.json.at(-1)?.id;
    while (next) {
      const page = await raw(s.url, `/api/v1/accounts/${ok[0].json.account.id}/statuses?limit=40&max_id=${next}`, { token: alice.token });
      seen += page.json.length;
      next = page.json.length ? page.json.at(-1).id : null;
    }
    assert.equal(seen, ok.length, 'only the accepted writes were posted');
  });
});
