// api.js — the Mastodon client API over fetch, with the session's bearer token. Answers
// {data, next}: next is the max_id of the Link header's rel="next", for infinite scroll.

import { session } from './session.js';

export class ApiError extends Error {
  /** data: the answer's JSON, for a form that shows `details.<field>` at its field. */
  constructor(status, message, data = null) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

/** The max_id of rel="next" in a Link header, or null. */
export function nextMaxId(link) {
  for (const part of (link ?? '').split(',')) {
    const m = part.match(/<([^>]+)>\s*;\s*rel="next"/);
    if (m) return new URL(m[1], location.origin).searchParams.get('max_id');
  }
  return null;
}

/**
 * Calls the API. opts.method, opts.json (a body sent as JSON), opts.form (URL-encoded),
 * opts.body (a FormData, sent as multipart), opts.auth=false to send no token, opts.admin to
 * send the administration area's token (session.adminToken), opts.headers for more. Throws
 * ApiError with a message a person can read.
 */
export async function api(path, opts = {}) {
  const headers = { Accept: 'application/json', ...opts.headers };
  const token = opts.auth === false ? null : opts.admin ? session.adminToken() : session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (opts.json) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    body = new URLSearchParams(opts.form);
  } else if (opts.body) {
    body = opts.body;
  }
  let res;
  try {
    res = await fetch(path, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401 && token) {
      if (opts.admin) session.adminExpired();
      else session.expired();
    }
    const why = data?.error_description || data?.error || `The server answered ${res.status}.`;
    throw new ApiError(res.status, why, data);
  }
  return { data, next: nextMaxId(res.headers.get('Link')) };
}
