// me.js — the signed-in person's Account, fetched once per token and shared, because cards
// must know which posts are one's own (edit, delete) and replies must not mention oneself.
//
//   const account = await me();      // null if signed out or the server cannot be reached
//   myId()                           // the id if already known, else null (no request)

import { api } from './api.js';
import { session } from './session.js';

let cached = { token: null, promise: null, account: null };

export function me() {
  const token = session.token();
  if (!token) return Promise.resolve(null);
  if (cached.token !== token || !cached.promise) {
    const entry = { token, promise: null, account: null };
    entry.promise = api('/api/v1/accounts/verify_credentials')
      .then(({ data }) => { entry.account = data; return data; })
      .catch(() => { if (cached === entry) cached = { token: null, promise: null, account: null }; return null; });
    cached = entry;
  }
  return cached.promise;
}

export function myId() {
  return cached.token === session.token() ? cached.account?.id ?? null : null;
}
