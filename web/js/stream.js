// stream.js — the page's one live connection to the server: a WebSocket to
// /api/v1/streaming, multiplexed as Mastodon's web client does it. Every screen that wants
// live events subscribes here instead of opening a socket of its own, so a page holds one
// connection however many feeds and badges listen.
//
//   const off = subscribe({ stream: 'user' }, (event, payload) => { ... });
//   const off = subscribe({ stream: 'hashtag', tag: 'cycling' }, handler);
//   const off = subscribe({ stream: 'list', list: '1234' }, handler);
//   const off = subscribe({ stream: 'partyline:channel', channel: '5678' }, handler);
//
// event is Mastodon's event name ('update', 'delete', 'status.update', 'notification',
// 'conversation'); payload is the parsed entity (for 'delete', the id). Notifications come
// on the `user` stream, conversations (direct messages) only on `direct`, as in Mastodon. After the socket
// came back from a drop every handler also gets ('reconnected', null): events sent while it
// was down are lost, so a feed fetches what it missed (min_id) rather than lose posts.
//
// The token travels as the WebSocket subprotocol (Sec-WebSocket-Protocol), as masto.js and
// Mastodon's web client send it: a query parameter would end up in access logs.

import { session } from './session.js';

const MAX_BACKOFF_MS = 30_000;

const subs = new Map(); // key -> { spec, handlers: Set }
const stateListeners = new Set();
let ws = null;
let wsToken = null;
let attempt = 0;
let retryTimer = null;
let wasConnected = false; // a drop happened after a successful open: catch up on reopen
let downSince = null; // when the socket was last lost (null while connected)

const keyOf = (stream, arg) => (arg == null || arg === '' ? stream : `${stream}:${String(arg).toLowerCase()}`);
// a stream takes one parameter (tag, list or channel); the server names the stream with it in
// every message (["list", "1234"]), which is how a message finds its listeners
const specKey = (spec) => keyOf(spec.stream, spec.tag ?? spec.list ?? spec.channel);

function command(type, spec) {
  const msg = { type, stream: spec.stream };
  if (spec.tag) msg.tag = spec.tag;
  if (spec.list) msg.list = String(spec.list);
  if (spec.channel) msg.channel = String(spec.channel);
  return JSON.stringify(msg);
}

function send(text) {
  if (ws?.readyState === WebSocket.OPEN) ws.send(text);
}

function setState() {
  const state = { connected: ws?.readyState === WebSocket.OPEN, downSince };
  for (const fn of stateListeners) fn(state);
}

function dispatch(key, event, payload) {
  const sub = subs.get(key);
  if (!sub) return;
  for (const fn of [...sub.handlers]) {
    try {
      fn(event, payload);
    } catch (e) {
      // one broken listener must not silence the others
      console.warn('stream listener failed', e);
    }
  }
}

function onMessage(e) {
  let m;
  try {
    m = JSON.parse(e.data);
  } catch {
    return;
  }
  if (m.error) {
    console.warn(`streaming: ${m.error} (${m.status})`);
    return;
  }
  if (!Array.isArray(m.stream) || !m.event) return;
  let payload = m.payload;
  if (m.event !== 'delete' && typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      return;
    }
  }
  dispatch(keyOf(m.stream[0], m.stream[1]), m.event, payload);
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  const token = session.token();
  if (!token || ws || subs.size === 0) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  let sock;
  try {
    sock = new WebSocket(`${scheme}://${location.host}/api/v1/streaming`, token);
  } catch {
    scheduleRetry();
    return;
  }
  ws = sock;
  wsToken = token;
  sock.addEventListener('open', () => {
    if (ws !== sock) return;
    const catchUp = wasConnected || attempt > 0; // earlier tries failed: events went by
    attempt = 0;
    wasConnected = true;
    downSince = null;
    for (const { spec } of subs.values()) send(command('subscribe', spec));
    setState();
    if (catchUp) for (const key of subs.keys()) dispatch(key, 'reconnected', null);
  });
  sock.addEventListener('message', (e) => { if (ws === sock) onMessage(e); });
  sock.addEventListener('close', () => {
    if (ws !== sock) return;
    ws = null;
    downSince ??= Date.now();
    setState();
    scheduleRetry();
  });
}

/** Tries again after 1 s, 2 s, 4 s … up to 30 s, with jitter so a restarted server is not hit at once. */
function scheduleRetry() {
  if (retryTimer || !session.isSignedIn() || subs.size === 0) return;
  const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
  attempt++;
  retryTimer = setTimeout(connect, delay);
}

/** Drops the socket (if any) and opens a new one now: the network came back, or the token changed. */
function reconnectNow() {
  if (ws) {
    const old = ws;
    ws = null;
    downSince ??= Date.now();
    old.close();
  }
  attempt = 0;
  connect();
}

/**
 * Listens to one stream; returns the function that stops listening. The first listener of
 * a stream subscribes on the socket, the last one to leave unsubscribes.
 */
export function subscribe(spec, handler) {
  const key = specKey(spec);
  let sub = subs.get(key);
  if (!sub) {
    sub = { spec, handlers: new Set() };
    subs.set(key, sub);
    send(command('subscribe', spec));
  }
  sub.handlers.add(handler);
  connect();
  return () => {
    const s = subs.get(key);
    if (!s?.handlers.delete(handler) || s.handlers.size) return;
    subs.delete(key);
    send(command('unsubscribe', spec));
  };
}

/** Calls fn({connected, downSince}) now and whenever the connection opens or drops. */
export function onStreamState(fn) {
  stateListeners.add(fn);
  fn({ connected: ws?.readyState === WebSocket.OPEN, downSince });
  return () => stateListeners.delete(fn);
}

// The browser says the network is back: do not wait for the backoff. A socket that
// outlived the outage may have missed events silently, so it is replaced, and its
// listeners catch up.
addEventListener('online', () => {
  if (subs.size) {
    wasConnected = true;
    reconnectNow();
  }
});

// Signing out closes the socket; signing in as someone else opens one with the new token.
session.onChange(() => {
  const token = session.token();
  if (token === wsToken && ws) return;
  if (ws) {
    const old = ws;
    ws = null;
    old.close();
  }
  wsToken = null;
  wasConnected = false;
  downSince = null;
  if (token) reconnectNow();
  else {
    clearTimeout(retryTimer);
    retryTimer = null;
    setState();
  }
});
