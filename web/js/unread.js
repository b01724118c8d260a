// unread.js — the unread counts beside Notifications and Messages in the navigation.
// They come from GET /api/v1/partyline/unread (the server counts by its own rules: the
// notifications marker, filters, mutes), fetched at start, after every `notification`
// (user stream) and `conversation` (direct stream) event, after the stream reconnects and
// when the tab is shown again. Counting events here instead would drift from the server's
// idea of "read" — the screens that mark things read call refreshUnread() afterwards.

import { api } from './api.js';
import { setBadge } from './nav.js';
import { session } from './session.js';
import { subscribe } from './stream.js';

const counts = { notifications: 0, messages: 0 };
let offs = [];
let timer = null;
let inflight = null;

function draw() {
  setBadge('notifications', counts.notifications);
  setBadge('messages', counts.messages);
}

/**
 * Fetches both counts now and shows them. Resolves when they are shown. fresh: after
 * marking something read, a request already under way may have been answered before the
 * mark, so a new one follows it.
 */
export function refreshUnread({ fresh = false } = {}) {
  if (!session.isSignedIn()) return Promise.resolve();
  if (fresh === true && inflight) return inflight.then(() => refreshUnread());
  inflight ??= api('/api/v1/partyline/unread')
    .then(({ data }) => {
      counts.notifications = data?.notifications ?? 0;
      counts.messages = data?.conversations ?? 0;
      draw();
    })
    .catch(() => { /* the badges keep their last counts; the next event or visit retries */ })
    .finally(() => { inflight = null; });
  return inflight;
}

/** Several events in a burst (a thread of mentions) cost one request. */
function soon() {
  clearTimeout(timer);
  timer = setTimeout(refreshUnread, 250);
}

function start() {
  for (const off of offs) off();
  offs = [];
  counts.notifications = 0;
  counts.messages = 0;
  if (!session.isSignedIn()) return;
  offs.push(subscribe({ stream: 'user' }, (event) => {
    if (event === 'notification' || event === 'reconnected') soon();
  }));
  offs.push(subscribe({ stream: 'direct' }, (event) => {
    if (event === 'conversation' || event === 'reconnected') soon();
  }));
  refreshUnread();
}

/** Starts the counts; called once by main.js after the navigation is drawn. */
export function startUnread() {
  // after drawNav (registered first), which rebuilds the links and so their badges
  session.onChange(() => {
    draw();
    start();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshUnread();
  });
  start();
}
