// instance.js — the server's own description (GET /api/v2/instance), asked once per page
// and shared: its limits (characters, polls, profile fields) and whether sign-up is open.
// A failure is not kept, so the next caller asks again; callers fall back to Mastodon's
// defaults meanwhile.

import { api } from './api.js';

let cached = null;

/** The Instance entity; rejects if the server cannot be reached. */
export function instance() {
  if (!cached) {
    const asked = api('/api/v2/instance', { auth: false }).then(({ data }) => data ?? {});
    asked.catch(() => { if (cached === asked) cached = null; });
    cached = asked;
  }
  return cached;
}

/** Its configuration (limits), or {} if the server cannot be reached. */
export function instanceConfig() {
  return instance().then((i) => i.configuration ?? {}, () => ({}));
}
