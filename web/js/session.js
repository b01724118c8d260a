// session.js — signing in with OAuth's authorization-code flow and PKCE, as any Mastodon
// app would: the client registers itself (POST /api/v1/apps, once per browser), sends the
// person to the server's sign-in page (/oauth/authorize), exchanges the code it gets back
// at /oauth/token with its PKCE verifier, and keeps the token in localStorage. Signing out
// revokes the token at /oauth/revoke.

const KEY_APP = 'partyline.app';
const KEY_TOKEN = 'partyline.token';
const KEY_PENDING = 'partyline.pending';
const SCOPES = 'read write follow push';
// The administration area's own app and token (views/admin.js): asked for with the password
// again when an administrator or moderator opens it, kept for this tab only (sessionStorage),
// so that the everyday token in localStorage never carries admin:* power.
const KEY_ADMIN_APP = 'partyline.admin-app';
const KEY_ADMIN_TOKEN = 'partyline.admin-token';
// read:accounts: the area checks whose token it got (verify_credentials)
const ADMIN_SCOPES = 'read:accounts admin:read admin:write';

const redirectUri = () => `${location.origin}/`;

// Where sign-in returns to: only an address inside this client (a hash route such as
// #/search/x or #/status/123), never a URL of its own — whatever is kept is put back
// after '/#', so it cannot lead off this page. The front doors themselves lead home.
const BACK = /^#\/[a-z][a-z0-9-]{0,40}(\/[^\s#]*)?$/;
const FRONT_DOORS = /^#\/(signin|register)(\/|$)/;
const MAX_BACK = 1000;
export function returnHash(hash) {
  return typeof hash === 'string' && hash.length <= MAX_BACK && BACK.test(hash) && !FRONT_DOORS.test(hash)
    ? hash : '#/home';
}

function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(n = 32) {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

async function form(path, fields) {
  const res = await fetch(path, { method: 'POST', body: new URLSearchParams(fields) });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.error_description || data?.error || `${path}: ${res.status}`);
  return data;
}

async function registeredApp({ admin = false } = {}) {
  const key = admin ? KEY_ADMIN_APP : KEY_APP;
  const saved = JSON.parse(localStorage.getItem(key) ?? 'null');
  if (saved?.redirect === redirectUri()) return saved;
  const app = await form('/api/v1/apps', {
    client_name: admin ? 'partyline web administration' : 'partyline web',
    redirect_uris: redirectUri(), scopes: admin ? ADMIN_SCOPES : SCOPES, website: location.origin,
  });
  const keep = { client_id: app.client_id, client_secret: app.client_secret, redirect: redirectUri() };
  // an app never used is deleted after a day (app_prune_after): a token now keeps this one,
  // also when a sign-in started with it is abandoned
  await form('/oauth/token', {
    grant_type: 'client_credentials', client_id: keep.client_id, client_secret: keep.client_secret,
    redirect_uri: keep.redirect, scope: admin ? 'read:accounts' : 'read',
  });
  localStorage.setItem(key, JSON.stringify(keep));
  return keep;
}

// Starts an authorization-code sign-in with app (PKCE) for scope; pending.back is where the
// answer returns to, pending.admin whether the token is the administration area's.
async function authorize(app, scope, back, admin) {
  const verifier = randomString(48);
  const state = randomString(16);
  // crypto.subtle exists in secure contexts (HTTPS, localhost); elsewhere fall back to
  // the "plain" method, which the server also accepts.
  let challenge = verifier;
  let method = 'plain';
  if (crypto.subtle) {
    challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    method = 'S256';
  }
  sessionStorage.setItem(KEY_PENDING, JSON.stringify({ verifier, state, back, admin }));
  const q = new URLSearchParams({
    client_id: app.client_id, redirect_uri: app.redirect, response_type: 'code',
    scope, state, code_challenge: challenge, code_challenge_method: method,
  });
  location.assign(`/oauth/authorize?${q}`);
}

async function revoke(appKey, token) {
  const app = JSON.parse(localStorage.getItem(appKey) ?? 'null');
  if (token && app) {
    await form('/oauth/revoke', {
      client_id: app.client_id, client_secret: app.client_secret, token,
    }).catch(() => {});
  }
}

/**
 * An app-level token (client_credentials grant) of this browser's registered app: what
 * Mastodon asks of a client before POST /api/v1/accounts (registration).
 */
export async function appToken() {
  const app = await registeredApp();
  const tok = await form('/oauth/token', {
    grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret,
    redirect_uri: app.redirect, scope: SCOPES,
  });
  return tok.access_token;
}

const listeners = new Set();

export const session = {
  token: () => localStorage.getItem(KEY_TOKEN),
  /** FNV-1a of the token (null when signed out): tells tokens apart without keeping one more
   *  copy of it (drafts.js, homesnapshot.js; boot/home-snapshot.js computes the same). */
  fingerprint() {
    const token = this.token();
    if (!token) return null;
    let x = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) {
      x ^= token.charCodeAt(i);
      x = Math.imul(x, 0x01000193) >>> 0;
    }
    return x.toString(16);
  },
  isSignedIn: () => !!localStorage.getItem(KEY_TOKEN),
  onChange(fn) { listeners.add(fn); },

  /** Starts the sign-in: leaves the page for the server's sign-in form. */
  async signIn() {
    // back: the address the person was on (the sign-in page shows at any address when
    // signed out)
    await authorize(await registeredApp(), SCOPES, returnHash(location.hash), false);
  },

  /** The administration area's token for this tab, or null. */
  adminToken: () => (localStorage.getItem(KEY_TOKEN) ? sessionStorage.getItem(KEY_ADMIN_TOKEN) : null),

  /** Asks for the administration area's token: the server's sign-in page again (the password
   *  once more), returning to where the person is. */
  async adminSignIn() {
    await authorize(await registeredApp({ admin: true }), ADMIN_SCOPES, returnHash(location.hash), true);
  },

  /** Revokes the administration token (leaving the area, signing out, or another account's). */
  async adminSignOut() {
    const token = sessionStorage.getItem(KEY_ADMIN_TOKEN);
    sessionStorage.removeItem(KEY_ADMIN_TOKEN);
    await revoke(KEY_ADMIN_APP, token);
  },

  /** The server refused the administration token: forget it (the session stays). */
  adminExpired() {
    sessionStorage.removeItem(KEY_ADMIN_TOKEN);
  },

  /**
   * Finishes a sign-in when the page was opened by the server's redirect (?code=&state=).
   * Returns true if it did; throws if the answer does not belong to this browser's attempt.
   */
  async completeSignIn() {
    const q = new URLSearchParams(location.search);
    if (!q.has('code')) return false;
    const pending = JSON.parse(sessionStorage.getItem(KEY_PENDING) ?? 'null');
    sessionStorage.removeItem(KEY_PENDING);
    // checked again here: sessionStorage is this origin's, but it is read as untrusted input
    history.replaceState(null, '', `/${returnHash(pending?.back)}`);
    if (!pending || pending.state !== q.get('state'))
      throw new Error('This sign-in was not started here, or it expired. Please sign in again.');
    const app = await registeredApp({ admin: !!pending.admin });
    const tok = await form('/oauth/token', {
      grant_type: 'authorization_code', code: q.get('code'), redirect_uri: app.redirect,
      client_id: app.client_id, client_secret: app.client_secret,
      code_verifier: pending.verifier,
    });
    if (pending.admin) {
      // kept only if it is the signed-in person's own (views/admin.js checks that first)
      sessionStorage.setItem(KEY_ADMIN_TOKEN, tok.access_token);
      return true;
    }
    localStorage.setItem(KEY_TOKEN, tok.access_token);
    listeners.forEach((fn) => fn());
    return true;
  },

  /** Revokes the token at the server (best effort) and forgets it. */
  async signOut() {
    const token = this.token();
    localStorage.removeItem(KEY_TOKEN);
    await Promise.all([revoke(KEY_APP, token), this.adminSignOut()]);
    listeners.forEach((fn) => fn());
  },

  /** Signs in with a token the server just gave (registration answers one). */
  useToken(token) {
    localStorage.setItem(KEY_TOKEN, token);
    listeners.forEach((fn) => fn());
  },

  /** The server refused the token (revoked elsewhere): forget it. */
  expired() {
    localStorage.removeItem(KEY_TOKEN);
    sessionStorage.removeItem(KEY_ADMIN_TOKEN);
    listeners.forEach((fn) => fn());
  },
};
