// desk.js — the desk's right column (issue 13, item 13), and the channel read markers behind
// its counts.
//
// On a window 1200 px wide or more the page has room beside its one reading column (40rem,
// kept as it is: longer lines read worse) for a third: one's channels with their unread
// counts, trending hashtags, and the top of the catch-up. 1200 is the first width where the
// navigation (15rem), the full reading column with its padding (43rem) and this column
// (18rem) fit side by side, about 1216 px; below it the column would squeeze the feed, so
// phones and narrow desks keep the two-column layout and never fetch what it would show.
//
// Each section loads on its own and fails alone, in a line of its own with "Try again": a
// broken trends request leaves the channels and the catch-up standing. The column is an
// <aside> (the `complementary` landmark) with a name, after <main> in the page, so Tab and
// the keyboard shortcuts (j/k move in <main>) reach it last and never on the way.
//
// Read markers (docs/api.md "Channel unread counts") are the server's: showing the page of a
// channel one is in (#/channel/<id>) and leaving it both mark it read (POST …/read), on every
// width, so a phone's visit clears the desk's count too. Counts come from the server
// (GET …/channels/unread) and are asked again, 300 ms after the last of a burst, when the
// `partyline:channel` stream of a shown channel says someone posted, after a reconnect, on a
// visit and when the tab is shown again — counting events here would drift from the server.

import { api } from './api.js';
import { avatarImg } from './avatar.js';
import { channelName } from './channel-common.js';
import { h } from './dom.js';
import { myId } from './me.js';
import { session } from './session.js';
import { subscribe } from './stream.js';

const WIDE = window.matchMedia('(min-width: 1200px)');
const SHOWN_CHANNELS = 8; // the column's channels; all of them are a click away
const CATCHUP_ITEMS = 3;
const SETTLE_MS = 1000; // after new channel streams are asked for, the counts once more

const plainText = (html) => new DOMParser().parseFromString(html ?? '', 'text/html').body.textContent ?? '';
const shorten = (s, n) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

/** The channel id of the address, if it is a channel's posts (#/channel/<id>[/top…]). */
function channelOfAddress() {
  const m = /^#\/channel\/([0-9]+)(?:\/top(?:\/.*)?)?$/.exec(location.hash);
  return m ? m[1] : null;
}

// The channels one is in, as last listed: only those are marked (an outsider reading an open
// channel has no count to clear, and one of a private channel would get a 404). The column's
// list fills it; a channel not in it (the phone, or one just joined) asks the list again.
let mine = new Set();

async function isMine(id) {
  if (mine.has(id)) return true;
  try {
    const { data } = await api('/api/v1/partyline/channels?member=true&limit=80');
    mine = new Set((Array.isArray(data) ? data : []).map((c) => c.id));
  } catch {
    return false;
  }
  return mine.has(id);
}

async function markRead(id) {
  if (!(await isMine(id))) return;
  await api(`/api/v1/partyline/channels/${encodeURIComponent(id)}/read`, { method: 'POST' })
    .catch(() => { /* the next visit marks it; the count stays as it was */ });
}

/** A section: heading, body, and a quiet status line with Try again when it failed. */
function section(id, title, load) {
  const body = h('div', { class: 'desk-body' });
  const status = h('p', { class: 'desk-status muted', role: 'status' });
  const retry = h('button', { type: 'button', class: 'quiet', hidden: true }, 'Try again');
  const el = h('section', { class: 'desk-section card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), body, status, retry);
  let run = 0;
  async function refresh({ quiet = false } = {}) {
    const my = ++run;
    if (!quiet && !body.firstChild) status.textContent = 'Loading…';
    retry.hidden = true;
    try {
      const made = await load();
      if (my !== run) return;
      body.replaceChildren(...[made.content].flat().filter((x) => x && (!['UL', 'OL'].includes(x.tagName) || x.firstChild)));
      status.textContent = made.empty ?? '';
    } catch (e) {
      if (my !== run) return;
      if (quiet && body.firstChild) return; // a live refresh that failed: keep what is shown
      body.replaceChildren();
      status.textContent = `Could not load this: ${e.message}`;
      retry.hidden = false;
    }
  }
  retry.addEventListener('click', () => refresh());
  return { el, refresh };
}

function channelsSection(onShown) {
  return section('desk-channels', 'Your channels', async () => {
    const { data } = await api('/api/v1/partyline/channels/unread?limit=40');
    const all = Array.isArray(data) ? data : [];
    // those with something new first, in the server's order otherwise
    const sorted = [...all].sort((a, b) => (b.unread_count > 0) - (a.unread_count > 0));
    for (const c of all) mine.add(c.id);
    const shown = sorted.slice(0, SHOWN_CHANNELS);
    onShown(shown.map((c) => c.id));
    const list = h('ul', { class: 'desk-channels' }, shown.map((c) => {
      const n = c.unread_count ?? 0;
      const count = n > 0 ? `${n}${c.unread_more ? '+' : ''}` : '';
      const words = n > 0 ? `${count} new ${n === 1 && !c.unread_more ? 'post' : 'posts'}` : 'nothing new';
      return h('li', { 'data-channel': c.id },
        h('a', { href: `#/channel/${encodeURIComponent(c.id)}` },
          avatarImg(c.account, 28),
          // the badge is for the eye; a screen reader hears the words (the name starts alike)
          h('span', { class: 'desk-name' }, channelName(c), h('span', { class: 'visually-hidden' }, `, ${words}`)),
          count && h('span', { class: 'badge desk-unread', 'aria-hidden': 'true' }, count)));
    }));
    const more = all.length > shown.length || all.length === 0;
    return {
      content: [list, more && h('p', { class: 'desk-more' }, h('a', { href: '#/channels' }, all.length ? 'All channels' : 'Browse channels'))],
      empty: all.length ? '' : 'You are in no channel yet.',
    };
  });
}

function trendsSection() {
  return section('desk-trends', 'Trending hashtags', async () => {
    const { data } = await api('/api/v1/trends/tags?limit=5');
    const tags = Array.isArray(data) ? data : [];
    const people = (t) => (t.history ?? []).slice(0, 2).reduce((s, d) => s + Number(d.accounts ?? 0), 0);
    const list = h('ul', { class: 'desk-tags' }, tags.map((t) => {
      const n = people(t);
      return h('li', {},
        h('a', { href: `#/tag/${encodeURIComponent(t.name)}` }, `#${t.name}`),
        n > 0 && h('span', { class: 'muted' }, ` ${n} ${n === 1 ? 'person' : 'people'}`));
    }));
    return { content: list, empty: tags.length ? '' : 'Nothing is trending yet.' };
  });
}

function catchupSection() {
  return section('desk-catchup', 'Catch-up', async () => {
    const { data } = await api('/api/v1/partyline/catchup');
    const items = (data?.items ?? []).slice(0, CATCHUP_ITEMS);
    const list = h('ol', { class: 'desk-catchup' }, items.map((it) => {
      const s = it.status;
      const who = s.account?.display_name || s.account?.username || '';
      const text = shorten(plainText(s.spoiler_text || s.content).trim(), 90);
      return h('li', {},
        h('a', { href: `#/status/${encodeURIComponent(s.id)}` }, h('strong', {}, who), ': ', text || 'a post'),
        h('p', { class: 'muted desk-reason' }, it.reason));
    }));
    return {
      content: [list, h('p', { class: 'desk-more' }, h('a', { href: '#/catchup' }, 'See the whole catch-up'))],
      empty: items.length ? '' : 'You are all caught up.',
    };
  });
}

let aside = null;
let stop = null;

function start() {
  stop?.();
  stop = null;
  aside?.remove();
  aside = null;
  mine = new Set();
  if (!session.isSignedIn()) return;

  const offs = new Map(); // channel id -> unsubscribe
  let timer = null, settle = null;
  // the shown channels' streams: new ones joined, gone ones left, the rest kept (leaving and
  // joining again would drop what is posted in between)
  const listen = (ids) => {
    for (const [id, off] of offs) if (!ids.includes(id)) { off(); offs.delete(id); }
    let added = false;
    for (const id of ids) {
      if (offs.has(id)) continue;
      added = true;
      offs.set(id, subscribe({ stream: 'partyline:channel', channel: id }, (event, payload) => {
        if (event === 'reconnected' || event === 'delete') return soon();
        if (event !== 'update' || payload?.account?.id === myId()) return;
        // being read right now: it is no news, and the marker follows the page
        if (channelOfAddress() === String(id)) markRead(id).then(soon);
        else soon();
      }));
    }
    // a post made between the counts' read and the server taking the new subscriptions is
    // told to nobody: the counts are asked once more when those have surely arrived
    if (added) {
      clearTimeout(settle);
      settle = setTimeout(() => channels.refresh({ quiet: true }), SETTLE_MS);
    }
  };
  const channels = channelsSection(listen);
  const trends = trendsSection();
  const catchup = catchupSection();
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => channels.refresh({ quiet: true }), 300);
  };
  aside = h('aside', { id: 'desk', class: 'desk', 'aria-label': 'Your desk' },
    channels.el, trends.el, catchup.el);
  document.getElementById('view')?.after(aside);

  let loaded = false;
  const loadIfWide = () => {
    if (!WIDE.matches || loaded) return;
    loaded = true;
    channels.refresh();
    trends.refresh();
    catchup.refresh();
  };

  // the channel being read: marked on arrival and on leaving (what came meanwhile was shown)
  let reading = channelOfAddress();
  const onRoute = async () => {
    const now = channelOfAddress();
    const left = reading && reading !== now ? reading : null;
    reading = now;
    const marks = [left, now].filter(Boolean).map(markRead);
    if (marks.length && loaded) {
      await Promise.all(marks);
      channels.refresh({ quiet: true });
    }
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible' && loaded) channels.refresh({ quiet: true });
  };
  window.addEventListener('hashchange', onRoute);
  document.addEventListener('visibilitychange', onVisible);
  WIDE.addEventListener('change', loadIfWide);
  if (reading) markRead(reading).then(loadIfWide);
  else loadIfWide();

  stop = () => {
    for (const off of offs.values()) off();
    clearTimeout(timer);
    clearTimeout(settle);
    window.removeEventListener('hashchange', onRoute);
    document.removeEventListener('visibilitychange', onVisible);
    WIDE.removeEventListener('change', loadIfWide);
  };
}

/** Starts the column and the read markers; called once by main.js after the navigation. */
export function startDesk() {
  session.onChange(start);
  start();
}
