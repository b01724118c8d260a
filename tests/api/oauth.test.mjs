// Apps and OAuth: POST /api/v1/apps, /oauth/token (password, client_credentials,
// authorization_code with PKCE), GET+POST /oauth/authorize, /oauth/revoke.
// Docs: methods/apps, methods/oauth, spec/oauth.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  ALL_SCOPES,
  PASSWORD,
  appToken,
  authorizeParams,
  codeCandidates,
  createApp,
  exchangeCode,
  expectHttpError,
  oauthClient,
  passwordLogin,
  pkcePair,
  raw,
  registerUser,
  restClient,
  startServer,
  submitAuthorizeForm,
  uniqueName,
} from './harness.mjs';

const OOB = 'urn:ietf:wg:oauth:2.0:oob';
const CALLBACK = 'http://127.0.0.1:9/callback';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

/** Runs the authorization form for user and returns the code, from the oob page or redirect. */
async function authorize(app, user, { redirectUri = OOB, pkce, state, scope = 'read write' } = {}) {
  const params = authorizeParams({ app, redirectUri, scope, pkce, state });
  const { response, fields } = await submitAuthorizeForm(url, params, {
    username: user.username,
    email: user.email,
    password: user.password,
  });
  if (redirectUri === OOB) {
    assert.equal(response.status, 200, `the oob flow should show the code on a page; got ${response.status} ${response.text.slice(0, 300)}`);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const candidates = codeCandidates(response.text, [...fields.values()]);
    assert.ok(candidates.length > 0, `no authorization code found on the oob page: ${response.text.slice(0, 500)}`);
    return { candidates, response };
  }
  assert.ok([302, 303].includes(response.status), `a real redirect_uri should get a 302 redirect; got ${response.status} ${response.text.slice(0, 300)}`);
  const loc = new URL(response.headers.get('location'), url);
  return { code: loc.searchParams.get('code'), location: loc, response };
}

/** Tries the oob page's candidates until one is the code (the page format is the server's). */
async function exchangeFirstWorking(app, candidates, opts) {
  let lastErr;
  for (const code of candidates.slice(0, 12)) {
    try {
      return { token: await exchangeCode(url, app, { ...opts, code }), code };
    } catch (e) {
      lastErr = e;
    }
  }
  throw new assert.AssertionError({ message: `none of the codes on the oob page could be exchanged; last error: ${lastErr?.statusCode} ${lastErr?.message}` });
}

describe('POST /api/v1/apps', () => {
  test('returns the app with client_id and client_secret', async () => {
    const app = await restClient(url).v1.apps.create({
      clientName: 'Test Application',
      redirectUris: OOB,
      scopes: 'read write push',
      website: 'https://app.example',
    });
    assert.equal(app.name, 'Test Application');
    assert.equal(typeof app.id, 'string');
    assert.equal(typeof app.clientId, 'string');
    assert.ok(app.clientId.length >= 16, 'client_id should be long and random');
    assert.equal(typeof app.clientSecret, 'string');
    assert.ok(app.clientSecret.length >= 16, 'client_secret should be long and random');
    assert.notEqual(app.clientId, app.clientSecret);
    assert.deepEqual(app.scopes, ['read', 'write', 'push']);
    assert.deepEqual(app.redirectUris, [OOB]);
    assert.equal(app.website, 'https://app.example');
  });

  test('two apps get different credentials', async () => {
    const a = await createApp(url);
    const b = await createApp(url);
    assert.notEqual(a.clientId, b.clientId);
    assert.notEqual(a.clientSecret, b.clientSecret);
  });

  test('scopes default to read', async () => {
    const app = await restClient(url).v1.apps.create({ clientName: 'no scopes', redirectUris: OOB });
    assert.deepEqual(app.scopes, ['read']);
  });

  test('several redirect_uris are kept', async () => {
    const app = await createApp(url, { redirectUris: [OOB, CALLBACK] });
    assert.deepEqual(app.redirectUris, [OOB, CALLBACK]);
  });

  test('missing client_name or redirect_uris is 422', async () => {
    await expectHttpError(restClient(url).v1.apps.create({ redirectUris: OOB }), 422, /name/i, 'no client_name');
    await expectHttpError(restClient(url).v1.apps.create({ clientName: 'x' }), 422, /redirect/i, 'no redirect_uris');
  });

  test('a redirect URI that is not absolute is 422', async () => {
    await expectHttpError(restClient(url).v1.apps.create({ clientName: 'x', redirectUris: 'not a uri' }), 422, /redirect/i);
  });

  test('GET /api/v1/apps/verify_credentials with the app token shows the app', async () => {
    const app = await createApp(url);
    const tok = await appToken(url, app);
    const seen = await restClient(url, tok.accessToken).v1.apps.verifyCredentials();
    assert.equal(seen.name, app.name);
    assert.equal(seen.clientSecret, undefined, 'verify_credentials must not reveal the client secret');
    await expectHttpError(restClient(url, 'not-a-token').v1.apps.verifyCredentials(), 401, /token|invalid|auth/i);
  });
});

describe('POST /oauth/token', () => {
  test('client_credentials gives an app token (Bearer, scope, created_at)', async () => {
    const app = await createApp(url);
    const tok = await appToken(url, app, 'read write');
    assert.equal(typeof tok.accessToken, 'string');
    assert.ok(tok.accessToken.length >= 16);
    assert.match(tok.tokenType, /^bearer$/i);
    assert.equal(tok.scope, 'read write');
    assert.equal(typeof tok.createdAt, 'number', 'created_at is a UNIX timestamp (number)');
    assert.ok(Math.abs(tok.createdAt - Date.now() / 1000) < 600, 'created_at should be now, in seconds');
  });

  test('client_credentials with a wrong secret is 401 invalid_client', async () => {
    const app = await createApp(url);
    await expectHttpError(
      oauthClient(url).token.create({ grantType: 'client_credentials', clientId: app.clientId, clientSecret: 'wrong', redirectUri: OOB }),
      401,
      /^invalid_client$/,
    );
  });

  test('a scope not registered with the app is 400 invalid_scope', async () => {
    const app = await createApp(url, { scopes: 'read' });
    await expectHttpError(
      oauthClient(url).token.create({ grantType: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: OOB, scope: 'read write' }),
      400,
      /^invalid_scope$/,
    );
  });

  test('password grant (login = e-mail) gives a user token', async () => {
    const user = await registerUser(url, uniqueName('pw'));
    const tok = await passwordLogin(url, user.app, user.email);
    assert.match(tok.tokenType, /^bearer$/i);
    assert.equal(tok.scope, ALL_SCOPES);
    const me = await restClient(url, tok.accessToken).v1.accounts.verifyCredentials();
    assert.equal(me.id, user.account.id);
    assert.equal(me.username, user.username);
  });

  test('password grant with a wrong password is invalid_grant (400 or 401)', async () => {
    const user = await registerUser(url, uniqueName('pw'));
    // 400 per RFC 6749 5.2; 401 accepted too, but the error must be invalid_grant.
    const e = await expectHttpError(passwordLogin(url, user.app, user.email, 'wrong password'), [400, 401], /^invalid_grant$/);
    assert.equal(e.message, 'invalid_grant');
  });

  test('password grant for an unknown user is invalid_grant', async () => {
    const app = await createApp(url);
    await expectHttpError(passwordLogin(url, app, 'nobody@example.com'), [400, 401], /^invalid_grant$/);
  });

  test('an unknown grant_type is 400 unsupported_grant_type', async () => {
    const app = await createApp(url);
    await expectHttpError(
      oauthClient(url).token.create({ grantType: 'magic', clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: OOB }),
      400,
      /unsupported_grant_type/,
    );
  });

  test('a form-encoded token request works too (RFC 6749 uses application/x-www-form-urlencoded)', async () => {
    const app = await createApp(url);
    const r = await raw(url, '/oauth/token', {
      method: 'POST',
      form: { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: 'read' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.json.access_token, 'string');
    assert.equal(r.json.scope, 'read');
  });
});

describe('authorization code flow (GET/POST /oauth/authorize)', () => {
  let user;
  let oobApp;
  let cbApp;

  before(async () => {
    user = await registerUser(url, uniqueName('auth'));
    oobApp = await createApp(url, { redirectUris: OOB, scopes: 'read write' });
    cbApp = await createApp(url, { redirectUris: CALLBACK, scopes: 'read write' });
  });

  test('GET /oauth/authorize shows an HTML login form', async () => {
    const pkce = pkcePair();
    const qs = new URLSearchParams(authorizeParams({ app: oobApp, redirectUri: OOB, pkce, state: 'xyz' }));
    const r = await raw(url, `/oauth/authorize?${qs}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(r.text, /<form\b/i);
    assert.match(r.text, /<input\b[^>]*name\s*=\s*["']?(username|email)\b/i, 'the form needs a username or e-mail field');
    assert.match(r.text, /<input\b[^>]*type\s*=\s*["']?password\b/i, 'the form needs a password field');
  });

  test('parameters echoed into the form are HTML-escaped', async () => {
    const evil = '"><script>alert(1)</script>';
    const qs = new URLSearchParams(authorizeParams({ app: oobApp, redirectUri: OOB, pkce: pkcePair(), state: evil }));
    const r = await raw(url, `/oauth/authorize?${qs}`);
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /<script>alert\(1\)/, 'state must not be reflected as markup');
  });

  test('GET /oauth/authorize with an unknown client_id does not show a login form for it', async () => {
    const qs = new URLSearchParams({ response_type: 'code', client_id: 'nope', redirect_uri: OOB, scope: 'read' });
    const r = await raw(url, `/oauth/authorize?${qs}`, { redirect: 'manual' });
    assert.ok(r.status >= 400 && r.status < 500, `expected a 4xx for an unknown client, got ${r.status}`);
  });

  test('GET /oauth/authorize with a redirect_uri the app did not register is refused', async () => {
    const qs = new URLSearchParams({ response_type: 'code', client_id: oobApp.clientId, redirect_uri: 'https://evil.example/cb', scope: 'read' });
    const r = await raw(url, `/oauth/authorize?${qs}`, { redirect: 'manual' });
    assert.ok(r.status >= 400 && r.status < 500, `expected a 4xx, got ${r.status}`);
    assert.doesNotMatch(r.headers.get('location') ?? '', /evil\.example/, 'never redirect to an unregistered URI');
  });

  test('oob + PKCE S256: the code is shown and exchanging it with the verifier gives a user token', async () => {
    const pkce = pkcePair();
    const { candidates } = await authorize(oobApp, user, { pkce, state: 'st1' });
    const { token } = await exchangeFirstWorking(oobApp, candidates, { redirectUri: OOB, verifier: pkce.verifier, scope: 'read write' });
    assert.match(token.tokenType, /^bearer$/i);
    assert.equal(token.scope, 'read write');
    const me = await restClient(url, token.accessToken).v1.accounts.verifyCredentials();
    assert.equal(me.id, user.account.id);
  });

  test('a real redirect_uri gets a 302 to redirect_uri?code=..&state=..', async () => {
    const pkce = pkcePair();
    const { code, location } = await authorize(cbApp, user, { redirectUri: CALLBACK, pkce, state: 'state-42' });
    assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
    assert.ok(code, 'the redirect carries ?code=');
    assert.equal(location.searchParams.get('state'), 'state-42', 'state is passed back unchanged');
    const tok = await exchangeCode(url, cbApp, { code, redirectUri: CALLBACK, verifier: pkce.verifier });
    const me = await restClient(url, tok.accessToken).v1.accounts.verifyCredentials();
    assert.equal(me.id, user.account.id);
  });

  test('a wrong code_verifier is 400 invalid_grant', async () => {
    const pkce = pkcePair();
    const { code } = await authorize(cbApp, user, { redirectUri: CALLBACK, pkce });
    await expectHttpError(
      exchangeCode(url, cbApp, { code, redirectUri: CALLBACK, verifier: pkcePair().verifier }),
      400,
      /^invalid_grant$/,
      'wrong verifier',
    );
  });

  test('a missing code_verifier, when a challenge was given, is 400 invalid_grant', async () => {
    const pkce = pkcePair();
    const { code } = await authorize(cbApp, user, { redirectUri: CALLBACK, pkce });
    await expectHttpError(exchangeCode(url, cbApp, { code, redirectUri: CALLBACK }), 400, /^invalid_grant$/, 'no verifier');
  });

  test('a code works once: the second exchange is 400 invalid_grant', async () => {
    const pkce = pkcePair();
    const { code } = await authorize(cbApp, user, { redirectUri: CALLBACK, pkce });
    await exchangeCode(url, cbApp, { code, redirectUri: CALLBACK, verifier: pkce.verifier });
    await expectHttpError(exchangeCode(url, cbApp, { code, redirectUri: CALLBACK, verifier: pkce.verifier }), 400, /^invalid_grant$/, 'reused code');
  });

  test('a code is bound to its client: another app cannot exchange it', async () => {
    const other = await createApp(url, { redirectUris: CALLBACK, scopes: 'read write' });
    const pkce = pkcePair();
    const { code } = await authorize(cbApp, user, { redirectUri: CALLBACK, pkce });
    await expectHttpError(exchangeCode(url, other, { code, redirectUri: CALLBACK, verifier: pkce.verifier }), 400, /^invalid_grant$/);
  });

  test('a made-up code is 400 invalid_grant', async () => {
    await expectHttpError(exchangeCode(url, cbApp, { code: 'made-up-code-1234567890', redirectUri: CALLBACK }), 400, /^invalid_grant$/);
  });

  test('the flow without PKCE still works (PKCE is optional in Mastodon)', async () => {
    const { code } = await authorize(cbApp, user, { redirectUri: CALLBACK });
    const tok = await exchangeCode(url, cbApp, { code, redirectUri: CALLBACK });
    assert.ok(tok.accessToken);
  });

  test('a wrong password on the form gives no code', async () => {
    const params = authorizeParams({ app: cbApp, redirectUri: CALLBACK, pkce: pkcePair(), state: 's' });
    const { response } = await submitAuthorizeForm(url, params, { username: user.username, email: user.email, password: 'wrong password' });
    const loc = response.headers.get('location') ?? '';
    assert.doesNotMatch(loc, /[?&]code=/, 'no code may be issued for a wrong password');
    assert.ok(response.status === 200 || (response.status >= 400 && response.status < 500), `expected the form again or a 4xx, got ${response.status}`);
  });

  test('the token from the code flow carries the requested scope only', async () => {
    const pkce = pkcePair();
    const { code } = await authorize(cbApp, user, { redirectUri: CALLBACK, pkce, scope: 'read' });
    const tok = await exchangeCode(url, cbApp, { code, redirectUri: CALLBACK, verifier: pkce.verifier, scope: 'read' });
    assert.equal(tok.scope, 'read');
    // a read-only token may not post (403, "This action is outside the authorized scopes")
    await expectHttpError(restClient(url, tok.accessToken).v1.statuses.create({ status: 'nope' }), 403, /scope/i, 'write with a read token');
  });
});

describe('POST /oauth/revoke', () => {
  test('a revoked token answers 401', async () => {
    const user = await registerUser(url, uniqueName('rv'));
    const tok = await passwordLogin(url, user.app, user.email);
    const client = restClient(url, tok.accessToken);
    await client.v1.accounts.verifyCredentials();
    await oauthClient(url).revoke({ clientId: user.app.clientId, clientSecret: user.app.clientSecret, token: tok.accessToken });
    await expectHttpError(client.v1.accounts.verifyCredentials(), 401, /token|invalid|revoked/i, 'after revoke');
    // the registration token of the same user still works
    const me = await user.client.v1.accounts.verifyCredentials();
    assert.equal(me.id, user.account.id);
  });

  test('revoking is idempotent (200 again)', async () => {
    const user = await registerUser(url, uniqueName('rv'));
    const tok = await passwordLogin(url, user.app, user.email);
    const args = { clientId: user.app.clientId, clientSecret: user.app.clientSecret, token: tok.accessToken };
    await oauthClient(url).revoke(args);
    await oauthClient(url).revoke(args);
  });

  test('an app cannot revoke another app\'s token (403 unauthorized_client)', async () => {
    const user = await registerUser(url, uniqueName('rv'));
    const tok = await passwordLogin(url, user.app, user.email);
    const other = await createApp(url);
    await expectHttpError(
      oauthClient(url).revoke({ clientId: other.clientId, clientSecret: other.clientSecret, token: tok.accessToken }),
      403,
      /unauthorized_client/,
    );
    await restClient(url, tok.accessToken).v1.accounts.verifyCredentials();
  });
});

test('password grant tokens from two logins are independent', async () => {
  const user = await registerUser(url, uniqueName('two'));
  const a = await passwordLogin(url, user.app, user.email);
  const b = await passwordLogin(url, user.app, user.email);
  assert.notEqual(a.accessToken, b.accessToken);
  await oauthClient(url).revoke({ clientId: user.app.clientId, clientSecret: user.app.clientSecret, token: a.accessToken });
  await expectHttpError(restClient(url, a.accessToken).v1.accounts.verifyCredentials(), 401);
  const me = await restClient(url, b.accessToken).v1.accounts.verifyCredentials();
  assert.equal(me.id, user.account.id);
  assert.equal(PASSWORD, user.password);
});

describe('authorization codes: single use, PKCE and redirect_uri (issue 10, item 11)', () => {
  let app;
  let person;
  before(async () => {
    app = await createApp(url, { redirectUris: `${CALLBACK}\n${OOB}`, scopes: 'read write' });
    person = await registerUser(url, uniqueName('ac'));
  });

  /** A code for person through the form, with extra authorize parameters. */
  async function codeFor(extra = {}, redirectUri = CALLBACK) {
    const params = { response_type: 'code', client_id: app.clientId, redirect_uri: redirectUri, scope: 'read', ...extra };
    const { response } = await submitAuthorizeForm(url, params, { username: person.username, email: person.email, password: person.password });
    assert.equal(response.status, 302, `the form redirects: ${response.status} ${response.text.slice(0, 200)}`);
    return new URL(response.headers.get('location')).searchParams.get('code');
  }

  const redeem = (form) =>
    raw(url, '/oauth/token', {
      method: 'POST',
      form: { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, ...form },
    });

  test('racing redemptions of one code: exactly one gets a token', async () => {
    for (let round = 0; round < 3; round++) {
      const code = await codeFor();
      const answers = await Promise.all(Array.from({ length: 8 }, () => redeem({ code, redirect_uri: CALLBACK })));
      const ok = answers.filter((r) => r.status === 200);
      assert.equal(ok.length, 1, `one of 8 racing redemptions succeeds, got ${answers.map((r) => r.status)}`);
      for (const r of answers.filter((x) => x.status !== 200)) {
        assert.equal(r.status, 400);
        assert.equal(r.json?.error, 'invalid_grant');
      }
    }
  });

  test('a code_challenge without code_challenge_method is S256, never plain', async () => {
    const pkce = pkcePair();
    const code = await codeFor({ code_challenge: pkce.challenge });
    const plain = await redeem({ code, redirect_uri: CALLBACK, code_verifier: pkce.challenge });
    assert.equal(plain.status, 400, 'the challenge itself is not a verifier');
    assert.equal(plain.json?.error, 'invalid_grant');
    const code2 = await codeFor({ code_challenge: pkce.challenge });
    const r = await redeem({ code: code2, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
    assert.equal(r.status, 200, `the S256 verifier works: ${r.text}`);
  });

  test('plain only when the app says so; an unknown method is refused at the form', async () => {
    const verifier = 'v'.repeat(50);
    const code = await codeFor({ code_challenge: verifier, code_challenge_method: 'plain' });
    const r = await redeem({ code, redirect_uri: CALLBACK, code_verifier: verifier });
    assert.equal(r.status, 200, `an explicit plain challenge works: ${r.text}`);
    const qs = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: CALLBACK, code_challenge: 'x'.repeat(43), code_challenge_method: 'md5' });
    const bad = await raw(url, `/oauth/authorize?${qs}`, { redirect: 'manual' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /S256/);
  });

  test('redirect_uri at the exchange must be the one authorized: another is 400 invalid_grant, none is 400 invalid_request', async () => {
    const code = await codeFor();
    const other = await redeem({ code, redirect_uri: OOB });
    assert.equal(other.status, 400);
    assert.equal(other.json?.error, 'invalid_grant', 'another registered redirect_uri does not match');
    const none = await redeem({ code });
    assert.equal(none.status, 400);
    assert.equal(none.json?.error, 'invalid_request', 'redirect_uri is required');
    const right = await redeem({ code, redirect_uri: CALLBACK });
    assert.equal(right.status, 200, `refused exchanges did not use the code up: ${right.text}`);
  });
});

/** Runs one SQL statement on a server's database (sqlite3 or psql); resolves to its output. */
async function sql(srv, text) {
  const run = promisify(execFile);
  const { stdout } = srv.database
    ? await run('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', srv.database, '-c', text])
    : await run('sqlite3', [path.join(srv.dataDir, 'partyline.db'), text]);
  return stdout.trim();
}

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

describe('client secrets are stored hashed (issue 10, item 16)', () => {
  test('the database holds the SHA-256 of the secret, never the secret; the secret still works', async () => {
    const app = await createApp(url);
    assert.ok(app.clientSecret, 'POST /api/v1/apps shows the secret once');
    const stored = await sql(server, `SELECT client_secret FROM apps WHERE client_id = '${app.clientId}'`);
    assert.notEqual(stored, app.clientSecret);
    assert.equal(stored, sha256(app.clientSecret));
    const tok = await appToken(url, app, 'read');
    const verified = await restClient(url, tok.accessToken).v1.apps.verifyCredentials();
    assert.equal(verified.name, app.name);
    assert.equal(verified.clientSecret, undefined, 'verify_credentials does not show the secret');
    assert.equal(verified.clientId, undefined);
  });
  // migration 020 (plaintext secrets of older versions hashed) is tested in tests/unit/test_auth.c
});

describe('the sign-in page lets its form redirect to the app (issue 10, item 4)', () => {
  test("form-action allows 'self' and the origin of the request's registered redirect_uri only", async () => {
    const web = 'https://app.example:8443/cb?x=1';
    const app = await createApp(url, { redirectUris: `${web}\nmyapp://callback\n${OOB}`, scopes: 'read' });
    const csp = async (redirectUri) => {
      const qs = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: redirectUri, scope: 'read' });
      const r = await raw(url, `/oauth/authorize?${qs}`);
      assert.equal(r.status, 200);
      return r.headers.get('content-security-policy').match(/form-action ([^;]*)/)[1];
    };
    assert.equal(await csp(web), "'self' https://app.example:8443");
    assert.equal(await csp('myapp://callback'), "'self' myapp:");
    assert.equal(await csp(OOB), "'self'");
  });
});
