// sessions.test.mjs — one's own sessions and password (issue 13 item 8; docs/api.md "Sessions
// and password"): GET/DELETE /api/v1/partyline/sessions, POST /api/v1/partyline/password.
// Mastodon has no API for either (its web settings do them), so these are fetch calls.
// Attacker cases: another person's session id, a narrower token, a wrong current password.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createApp, passwordLogin, PASSWORD, raw, registerUser, startServer, uniqueName } from './harness.mjs';

let srv;
before(async () => {
  srv = await startServer({
    env: { PARTYLINE_SIGNIN_ACCOUNT_SLOW_AFTER: '0', PARTYLINE_SIGNIN_ACCOUNT_MAX: '3', PARTYLINE_SIGNIN_IP_SLOW_AFTER: '0', PARTYLINE_SIGNIN_IP_MAX: '1000' },
  });
});
after(async () => { await srv?.stop(); });

const sessions = (token, q = '') => raw(srv.url, `/api/v1/partyline/sessions${q}`, { token });
const revoke = (token, id) => raw(srv.url, `/api/v1/partyline/sessions/${id}`, { method: 'DELETE', token });
const changePassword = (token, json) => raw(srv.url, '/api/v1/partyline/password', { method: 'POST', token, json });
const whoami = (token) => raw(srv.url, '/api/v1/accounts/verify_credentials', { token });

test('the sessions list shows one\'s live tokens, newest first, with the app, and marks the current one', async () => {
  const ana = await registerUser(srv.url, uniqueName('ana'));
  const app = await createApp(srv.url, { name: 'Phone app' });
  const phone = (await passwordLogin(srv.url, app, ana.email, PASSWORD, 'read write')).accessToken;
  const r = await sessions(phone);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.length, 2);
  const [newest, first] = r.json;
  assert.equal(newest.app.name, 'Phone app');
  assert.equal(newest.scopes, 'read write');
  assert.equal(newest.current, true);
  assert.equal(first.current, false);
  assert.equal(newest.last_used_at, null);
  assert.ok(Date.parse(newest.created_at) >= Date.parse(first.created_at));
  assert.equal(typeof newest.id, 'string');
  // the other token's view marks the other one as current
  const again = await sessions(ana.token);
  assert.deepEqual(again.json.map((s) => s.current), [false, true]);
});

test('sessions page with limit and max_id, the Link header pointing at the next page', async () => {
  const bo = await registerUser(srv.url, uniqueName('bo'));
  const app = await createApp(srv.url);
  for (let i = 0; i < 3; i++) await passwordLogin(srv.url, app, bo.email);
  const first = await sessions(bo.token, '?limit=2');
  assert.equal(first.json.length, 2);
  const next = new URL(first.headers.get('link').match(/<([^>]+)>; rel="next"/)[1]);
  const second = await sessions(bo.token, next.search);
  assert.equal(second.json.length, 2);
  const ids = [...first.json, ...second.json].map((s) => s.id);
  assert.equal(new Set(ids).size, 4);
});

test('revoking a session ends that token only; another person\'s session is not found and stays', async () => {
  const cy = await registerUser(srv.url, uniqueName('cy'));
  const eve = await registerUser(srv.url, uniqueName('eve'));
  const app = await createApp(srv.url);
  const laptop = (await passwordLogin(srv.url, app, cy.email)).accessToken;
  const list = (await sessions(cy.token)).json;
  const laptopId = list.find((s) => !s.current && list.length === 2).id;

  // Eve, with a full token, tries Cy's session: 404, and it still works
  const bad = await revoke(eve.token, laptopId);
  assert.equal(bad.status, 404, bad.text);
  assert.match(bad.json.error, /not found/i);
  assert.equal((await whoami(laptop)).status, 200);
  // nor does Eve's list show it
  assert.ok(!(await sessions(eve.token)).json.some((s) => s.id === laptopId));

  const ok = await revoke(cy.token, laptopId);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, {});
  assert.equal((await whoami(laptop)).status, 401);
  assert.equal((await whoami(cy.token)).status, 200);
  // twice: gone already
  assert.equal((await revoke(cy.token, laptopId)).status, 404);
  assert.equal((await revoke(cy.token, 'nonsense')).status, 404);
  assert.equal((await sessions(cy.token)).json.length, 1);
});

test('revoking the current session signs it out', async () => {
  const di = await registerUser(srv.url, uniqueName('di'));
  const [me] = (await sessions(di.token)).json;
  assert.equal((await revoke(di.token, me.id)).status, 200);
  assert.equal((await whoami(di.token)).status, 401);
});

test('a narrower token may neither list nor revoke sessions, nor change the password', async () => {
  const fa = await registerUser(srv.url, uniqueName('fa'));
  const app = await createApp(srv.url);
  const narrow = (await passwordLogin(srv.url, app, fa.email, PASSWORD, 'read:statuses write:statuses')).accessToken;
  const readOnly = (await passwordLogin(srv.url, app, fa.email, PASSWORD, 'read')).accessToken;
  const all = (await sessions(fa.token)).json;
  for (const r of [await sessions(narrow), await revoke(narrow, all[0].id), await revoke(readOnly, all[0].id),
    await changePassword(readOnly, { current_password: PASSWORD, password: 'another secret 1' })]) {
    assert.equal(r.status, 403, r.text);
    assert.match(r.json.error, /scope/);
  }
  assert.equal((await sessions(fa.token)).json.length, 3, 'nothing was revoked');
  assert.equal((await sessions(readOnly)).status, 200);
});

test('changing the password needs the current one, keeps this session and signs out the others', async () => {
  const gu = await registerUser(srv.url, uniqueName('gu'));
  const app = await createApp(srv.url);
  const other = (await passwordLogin(srv.url, app, gu.email)).accessToken;
  const next = 'a new long secret';

  const missing = await changePassword(gu.token, { password: next });
  assert.equal(missing.status, 422);
  assert.match(missing.json.error, /current_password/);
  const short = await changePassword(gu.token, { current_password: PASSWORD, password: 'short' });
  assert.equal(short.status, 422);
  assert.match(short.json.error, /between 8 and 72/);
  assert.equal(short.json.details?.password?.[0]?.error, 'ERR_TOO_SHORT');
  const long = await changePassword(gu.token, { current_password: PASSWORD, password: 'x'.repeat(73) });
  assert.equal(long.status, 422);
  assert.equal(long.json.details?.password?.[0]?.error, 'ERR_TOO_LONG');
  const same = await changePassword(gu.token, { current_password: PASSWORD, password: PASSWORD });
  assert.equal(same.status, 422);
  assert.match(same.json.error, /same as the current/);
  const wrong = await changePassword(gu.token, { current_password: 'not the password', password: next });
  assert.equal(wrong.status, 422, 'a wrong field, not a bad token (401 would sign the client out)');
  assert.match(wrong.json.error, /current password is not correct/);
  // nothing changed
  assert.equal((await whoami(other)).status, 200);
  await passwordLogin(srv.url, app, gu.email, PASSWORD);

  const ok = await changePassword(gu.token, { current_password: PASSWORD, password: next });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, {});
  assert.equal((await whoami(gu.token)).status, 200, 'the session that changed it stays');
  assert.equal((await whoami(other)).status, 401, 'the others are signed out');
  assert.equal((await sessions(gu.token)).json.length, 1);
  await assert.rejects(passwordLogin(srv.url, app, gu.email, PASSWORD), 'the old password no longer signs in');
  assert.ok((await passwordLogin(srv.url, app, gu.email, next)).accessToken);
});

test('wrong current passwords are throttled as sign-ins are: 429 with Retry-After', async () => {
  const ha = await registerUser(srv.url, uniqueName('ha'));
  let last;
  for (let i = 0; i < 5; i++) {
    last = await changePassword(ha.token, { current_password: `wrong ${i}`, password: 'whatever long' });
    if (last.status === 429) break;
    assert.equal(last.status, 422, last.text);
  }
  assert.equal(last.status, 429, last.text);
  assert.match(last.json.error, /Too many failed/);
  assert.ok(Number(last.headers.get('retry-after')) >= 1);
  // even the right one waits now
  const right = await changePassword(ha.token, { current_password: PASSWORD, password: 'whatever long' });
  assert.equal(right.status, 429);
  assert.equal((await whoami(ha.token)).status, 200);
});
