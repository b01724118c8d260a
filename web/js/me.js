// me.js — the signed-in person's Account, fetched once per token and shared: cards must know
// which posts are one's own (edit, delete), replies must not mention oneself, profiles and
// messages must know who is reading.
//
//   const account = await me();      // rejects if the server cannot be reached
//   await me({ fresh: true })        // asks again (after editing one's profile)
//   myId()                           // the id if already known, else null (no request)
//   onMeChange(fn)                    // fn() after one's profile changed (forgetMe)
//   defaultAudience(account)          // where the compose form's audience starts

import { api } from './api.js';
import { session } from './session.js';

let cached = { token: null, promise: null, account: null };

export function me({ fresh = false } = {}) {
  const token = session.token();
  if (!token) return Promise.reject(new Error('You are signed out.'));
  if (fresh || cached.token !== token || !cached.promise) {
    const entry = { token, promise: null, account: null };
    entry.promise = api('/api/v1/accounts/verify_credentials').then(({ data }) => {
      entry.account = data;
      return data;
    });
    // a failure is not kept: the next caller asks again
    entry.promise.catch(() => { if (cached === entry) cached = { token: null, promise: null, account: null }; });
    cached = entry;
  }
  return cached.promise;
}

const listeners = new Set();

/** Forgets the account (after editing one's profile) so the next me() asks again, and tells
 *  whoever shows it (the top bar's picture) to draw it again. */
export function forgetMe() {
  cached = { token: null, promise: null, account: null };
  for (const fn of listeners) fn();
}

/** Calls fn whenever one's own account changed (forgetMe). */
export function onMeChange(fn) {
  listeners.add(fn);
}

export function myId() {
  return cached.token === session.token() ? cached.account?.id ?? null : null;
}

/**
 * The audience new posts start from: the person's default (verify_credentials' source, where
 * our source.partyline.privacy says "company" for what Mastodon apps read as "private").
 */
export function defaultAudience(account) {
  const v = account?.source?.partyline?.privacy ?? account?.source?.privacy;
  return typeof v === 'string' && v ? v : null;
}

/** defaultAudience of the signed-in person if already known (no request), else null. */
export function knownDefaultAudience() {
  return cached.token === session.token() ? defaultAudience(cached.account) : null;
}

/** The role an account holds, as its Account.role says: 'admin', 'moderator' or null. */
export function staffRole(account) {
  const name = account?.role?.name?.toLowerCase();
  return name === 'admin' || name === 'moderator' ? name : null;
}
