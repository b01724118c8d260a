// views/notifications.js — #/notifications: what happened to you, newest first, each in
// plain words ("Ada liked your post"), likes and boosts of the same post side by side told
// once ("Ada and Ben liked your post"). Mentions show the post; follow requests can be
// answered here; a request to join a channel one moderates links to the channel's requests,
// and being let into one links to the channel (docs/api.md "Join requests"); a listening alert
// (partyline.alert, issue 16) is a line saying what jumped, linking to the alert's page. Viewing the newest moves the notifications marker (POST /api/v1/markers)
// to it, which is what clears the unread count (README, "Unread counts").
//
// New notifications (the user stream's `notification` events) wait behind the feeds' quiet
// "N new notifications" bar rather than appear at the top by themselves: a row that pushes
// the list down moves what is being read or answered (an Accept button can slide away under
// the pointer), which is the reason the feeds have the bar too. While the page is open and
// visible the bar is the count, so each arrival moves the marker at once and the navigation
// badge does not count the same thing a second time; a hidden tab moves it when shown again.
//
// "Show" filters by kind (issue 13, item 11): the server's `types[]` on the same request, one
// select (compact on a phone, one control to learn), and the choice in the address
// (#/notifications/<kind>, as the feeds keep #/home/top/7d), so a reload, Back and a shared
// link keep it. Only the full list ("All") moves the marker: a filtered view has not shown
// what it leaves out.

import { api } from '../api.js';
import { avatarImg } from '../avatar.js';
import { h, serverHtml } from '../dom.js';
import { alertWords } from '../listening.js';
import { me } from '../me.js';
import { profileHref, refreshBadges } from '../people.js';
import { statusCard } from '../status.js';
import { subscribe } from '../stream.js';
import { watchHeaderHeight } from '../timeline.js';
import { requestActions } from './follow-requests.js';

export const title = 'Notifications';

const PAGE = 30;
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const GROUPED = new Set(['favourite', 'reblog']);
const FACES = 6; // avatars drawn on a grouped row; the sentence names the rest

/** The kinds one can show, by their address word: label, Mastodon's types, the empty state. */
export const KINDS = {
  mentions: ['Mentions', ['mention'], 'Nobody has mentioned you yet.'],
  follows: ['Follows', ['follow', 'follow_request'], 'Nobody has followed you or asked to yet.'],
  likes: ['Likes', ['favourite'], 'Nobody has liked your posts yet.'],
  boosts: ['Boosts', ['reblog'], 'Nobody has boosted your posts yet.'],
  polls: ['Polls', ['poll'], 'No poll you made or voted in has ended yet.'],
  edits: ['Edits', ['update'], 'No post you interacted with has been edited yet.'],
  channels: ['Channel requests', ['partyline.channel_request', 'partyline.channel_approved'],
    'No requests to join your channels, and no answers to yours, yet.'],
  alerts: ['Listening alerts', ['partyline.alert'], 'None of your watches has alerted yet.'],
};

/** Who did it, as links to their profiles: "Ada", "Ada and Ben", "Ada, Ben and 3 others". */
function who(accounts) {
  const shown = accounts.length > 3 ? accounts.slice(0, 2) : accounts;
  const links = shown.map((a) => h('a', { href: profileHref(a) }, a.display_name || a.username));
  const out = [];
  links.forEach((l, i) => {
    if (i > 0) out.push(i === links.length - 1 && accounts.length <= 3 ? ' and ' : ', ');
    out.push(l);
  });
  if (accounts.length > 3) out.push(` and ${accounts.length - 2} others`);
  return out;
}

/** The channel a partyline.channel_* notification is about, as a link to it. */
function channelLink(n) {
  const ch = n.partyline?.channel;
  const id = n.partyline?.channel_id ?? ch?.id;
  return h('a', { href: `#/channel/${encodeURIComponent(id ?? '')}` },
    ch ? ch.display_name || ch.username : 'a channel');
}

function sentence(n, accounts, self) {
  const them = who(accounts);
  switch (n.type) {
    case 'partyline.channel_request': return [them, ' asked to join ', channelLink(n)];
    case 'partyline.channel_approved': return ['You are now a member of ', channelLink(n)];
    case 'mention': return [them, ' mentioned you'];
    case 'status': return [them, ' posted'];
    case 'reblog': return [them, ' boosted your post'];
    case 'favourite': return [them, ' liked your post'];
    case 'follow': return [them, ' followed you'];
    case 'follow_request': return [them, ' asked to follow you'];
    case 'poll': return [n.status?.account?.id === self.id ? 'Your poll has ended' : 'A poll you voted in has ended'];
    case 'update': return [them, ' edited a post you interacted with'];
    case 'admin.sign_up': return [them, ' signed up'];
    case 'admin.report': return [them, ' sent a report'];
    case 'partyline.alert': return alertLine(n);
    default: return [them, ` (${n.type})`];
  }
}

// a listening alert (issue 16): told by the owner to themselves, so the line names the watch
function alertLine(n) {
  const a = n.partyline?.alert;
  const id = n.partyline?.alert_id ?? a?.id;
  if (!id) return ['A listening alert'];
  const words = a ? `“${a.watch_title}”: ${alertWords(a).headline}` : 'see what jumped';
  return ['Listening alert — ', h('a', { href: `#/alert/${encodeURIComponent(id)}` }, words)];
}

function item(group, self, lastRead) {
  const n = group[0];
  const accounts = group.map((g) => g.account);
  const isNew = lastRead !== null && group.some((g) => BigInt(g.id) > lastRead);
  const text = sentence(n, accounts, self);
  // the faces of who did it (the sentence names them); being let in shows the channel's
  const faces = n.type === 'partyline.channel_approved' && n.partyline?.channel
    ? [n.partyline.channel] : accounts.slice(0, FACES);
  const li = h('li', { class: `card notification${isNew ? ' unread' : ''}`, 'data-type': n.type },
    h('div', { class: 'faces' }, faces.map((a) => avatarImg(a, 32))),
    h('p', { class: 'what' },
      isNew && h('span', { class: 'tag' }, 'New'), ' ',
      text, ' ',
      h('time', { datetime: n.created_at }, timeFmt.format(new Date(n.created_at)))));
  if (n.status && (n.type === 'mention' || n.type === 'status' || n.type === 'poll' || n.type === 'update')) {
    li.append(statusCard(n.status).firstChild);
  } else if (n.status) {
    li.append(serverHtml('blockquote', { class: 'content muted' }, n.status.content),
      h('p', { class: 'thread-link' }, h('a', { href: `#/status/${encodeURIComponent(n.status.id)}` }, 'Open the post')));
  }
  li.group = group; // a like arriving later joins this row's likes (showPending)
  if (n.type === 'follow_request') li.append(...requestActions(n.account, li));
  if (n.type === 'partyline.channel_request' && n.partyline?.channel_id) {
    // answered where every waiting request of the channel is, with the rules of roles
    li.append(h('p', { class: 'thread-link' }, h('a', {
      href: `#/channel/${encodeURIComponent(n.partyline.channel_id)}/members`,
    }, 'See the requests to join')));
  }
  return li;
}

/** Whether b (older) joins a's group: likes or boosts of the same post, side by side. */
const joins = (a, b) => GROUPED.has(a.type) && a.type === b.type && a.status?.id === b.status?.id;

/** Puts side-by-side likes (or boosts) of one post into one group. */
function groups(list) {
  const out = [];
  for (const n of list) {
    const prev = out.at(-1);
    if (prev && joins(prev[0], n)) prev.push(n);
    else out.push([n]);
  }
  return out;
}

const big = (id) => BigInt(id ?? 0);
const byNewest = (a, b) => (big(a.id) < big(b.id) ? 1 : big(a.id) > big(b.id) ? -1 : 0);

export function render(root, { args = [] } = {}) {
  let kind = Object.hasOwn(KINDS, args[0] ?? '') ? args[0] : null;
  let types = kind ? KINDS[kind][1] : null; // null: every kind
  const select = h('select', { id: 'notifications-kind' },
    h('option', { value: '' }, 'All'),
    Object.entries(KINDS).map(([k, [label]]) => h('option', { value: k, selected: k === kind }, label)));
  const filter = h('div', { class: 'notifications-filter' },
    h('label', { for: 'notifications-kind' }, 'Show'), select);
  const list = h('ol', { class: 'notifications', 'aria-label': 'Notifications' });
  const state = h('p', { class: 'empty', role: 'status' });
  const more = h('button', { type: 'button', class: 'quiet' }, 'Load older notifications');
  const moreRow = h('div', { class: 'more', hidden: true }, more);
  // the feeds' bar (timeline.js): it takes no room and floats up beside the heading, since
  // beside the filter it would cover "Mentions" on a phone
  const showNew = h('button', { type: 'button', class: 'new-posts-button', hidden: true });
  const bar = h('div', { class: 'new-posts', 'aria-live': 'polite' }, showNew);
  root.append(h('h1', {}, 'Notifications'), bar, filter, list, state, moreRow);
  watchHeaderHeight();

  let next = null;
  let lastRead = null; // the marker as it was when the page opened: newer ones say "New"
  let markedTo = null; // the marker as this page last moved it
  let unmarked = null; // the newest one that arrived while the tab was hidden
  let self = null;
  let marked = false;
  let generation = 0;
  const shown = new Set(); // ids in the list
  const pending = new Map(); // id -> Notification behind the bar

  // a direct message is read under Messages (and counted there, once): not here as well
  const aboutMessage = (n) => n.status?.visibility === 'direct';
  const wanted = (n) => !aboutMessage(n) && (!types || types.includes(n.type));
  const withTypes = (q) => { for (const t of types ?? []) q.append('types[]', t); return q; };

  function drawBar() {
    const n = pending.size;
    showNew.hidden = n === 0;
    showNew.textContent = n === 1 ? '1 new notification' : `${n} new notifications`;
  }

  function newest() {
    let top = null;
    for (const id of [...shown, ...pending.keys()]) if (top === null || big(id) > big(top)) top = id;
    return top;
  }

  async function load(first) {
    const my = first ? ++generation : generation;
    more.disabled = true;
    state.className = 'empty';
    state.textContent = 'Loading…';
    try {
      if (!self) {
        const [account, markers] = await Promise.all([
          me(), api('/api/v1/markers?timeline[]=notifications').then((r) => r.data).catch(() => ({})),
        ]);
        self = account;
        const id = markers?.notifications?.last_read_id;
        lastRead = id ? BigInt(id) : BigInt(0);
        markedTo ??= lastRead;
      }
      const q = withTypes(new URLSearchParams({ limit: PAGE }));
      if (!first && next) q.set('max_id', next);
      const { data, next: n } = await api(`/api/v1/notifications?${q}`);
      if (my !== generation) return;
      if (first) {
        list.replaceChildren();
        shown.clear();
      }
      list.append(...groups(data.filter(wanted)).map((g) => item(g, self, lastRead)));
      for (const x of data) shown.add(x.id);
      // one that came live while this page was loading is in the page now, not behind the bar
      for (const id of [...pending.keys()]) if (shown.has(id)) pending.delete(id);
      drawBar();
      next = data.length >= PAGE ? n : null; // a short page is the last: no button to an empty one
      state.textContent = list.children.length ? ''
        : (kind ? KINDS[kind][2] : 'Nothing yet. When people follow you, like, boost or mention your posts, it shows here.');
      if (first && !types && !marked) {
        marked = true;
        markRead(newest());
      }
    } catch (e) {
      if (my !== generation) return;
      state.className = 'error';
      state.textContent = `Could not load your notifications: ${e.message} Reload the page to try again.`;
    } finally {
      more.disabled = false;
      moreRow.hidden = !next;
    }
  }

  async function markRead(id) {
    if (id && (markedTo === null || big(id) > markedTo)) {
      try {
        await api('/api/v1/markers', { json: { notifications: { last_read_id: id } } });
        if (markedTo === null || big(id) > markedTo) markedTo = big(id);
      } catch {
        marked = false; // the next arrival or visit tries again; the list itself is fine
        return;
      }
    }
    // fresh: a count asked for before the marker moved would bring the old number back
    refreshBadges({ fresh: true });
  }

  /** Seen on an open, visible page: read (the bar says it). A hidden tab waits. */
  function seen(id) {
    if (types || self === null) return; // the marker is moved by the full list only
    if (document.visibilityState === 'visible') markRead(id);
    else if (unmarked === null || big(id) > big(unmarked)) unmarked = id;
  }

  function arrived(n) {
    if (!n?.id || shown.has(n.id) || pending.has(n.id) || !wanted(n)) return;
    pending.set(n.id, n);
    drawBar();
    seen(newest());
  }

  /** The waiting ones at the top, newest first; focus goes to the first. */
  function showPending() {
    const items = [...pending.values()].sort(byNewest);
    pending.clear();
    drawBar();
    if (!items.length || !self) return;
    const gs = groups(items);
    const top = list.firstElementChild;
    const last = gs.at(-1);
    if (top?.group && joins(last.at(-1), top.group[0])) {
      gs[gs.length - 1] = [...last, ...top.group];
      top.remove();
    }
    const rows = gs.map((g) => item(g, self, lastRead));
    for (const x of items) shown.add(x.id);
    list.prepend(...rows);
    state.textContent = '';
    rows[0].tabIndex = -1;
    rows[0].focus();
  }
  showNew.addEventListener('click', showPending);

  /** After a drop: what came meanwhile, behind the bar too. */
  async function catchUp() {
    const since = newest();
    if (!since || self === null) return;
    try {
      const q = withTypes(new URLSearchParams({ limit: PAGE, min_id: since }));
      const { data } = await api(`/api/v1/notifications?${q}`);
      for (const n of data) arrived(n);
    } catch {
      // a reload brings them; the list shown is still right
    }
  }

  const onVisible = () => {
    if (document.visibilityState !== 'visible' || unmarked === null) return;
    const id = unmarked;
    unmarked = null;
    markRead(id);
  };
  document.addEventListener('visibilitychange', onVisible);
  const off = subscribe({ stream: 'user' }, (event, payload) => {
    if (event === 'notification') arrived(payload);
    else if (event === 'reconnected') catchUp();
  });

  // The list is redrawn here, so focus stays on the select (arrow keys change it at once);
  // the address gets an entry of its own without the router redrawing the page, and Back
  // (a hashchange) has the router draw the kind shown before.
  select.addEventListener('change', () => {
    kind = select.value || null;
    types = kind ? KINDS[kind][1] : null;
    history.pushState(null, '', kind ? `#/notifications/${kind}` : '#/notifications');
    next = null;
    pending.clear();
    drawBar();
    load(true);
  });
  more.addEventListener('click', () => load(false));
  load(true);
  return () => {
    off();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
