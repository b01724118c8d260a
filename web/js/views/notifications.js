// views/notifications.js — #/notifications: what happened to you, newest first, each in
// plain words ("Ada liked your post"), likes and boosts of the same post side by side told
// once ("Ada and Ben liked your post"). Mentions show the post; follow requests can be
// answered here. Viewing the newest moves the notifications marker (POST /api/v1/markers)
// to it, which is what clears the unread count (README, "Unread counts").

import { api } from '../api.js';
import { h, serverHtml } from '../dom.js';
import { me } from '../me.js';
import { profileHref, refreshBadges } from '../people.js';
import { statusCard } from '../status.js';
import { requestActions } from './follow-requests.js';

export const title = 'Notifications';

const PAGE = 30;
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const GROUPED = new Set(['favourite', 'reblog']);

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

function sentence(n, accounts, self) {
  const them = who(accounts);
  switch (n.type) {
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
    default: return [them, ` (${n.type})`];
  }
}

function item(group, self, lastRead) {
  const n = group[0];
  const accounts = group.map((g) => g.account);
  const isNew = lastRead !== null && group.some((g) => BigInt(g.id) > lastRead);
  const text = sentence(n, accounts, self);
  const li = h('li', { class: `card notification${isNew ? ' unread' : ''}`, 'data-type': n.type },
    h('p', { class: 'what' },
      isNew && h('span', { class: 'tag' }, 'New'), ' ',
      text, ' ',
      h('time', { datetime: n.created_at }, timeFmt.format(new Date(n.created_at)))));
  if (n.status && (n.type === 'mention' || n.type === 'status' || n.type === 'poll' || n.type === 'update')) {
    li.append(statusCard(n.status).firstChild);
  } else if (n.status) {
    li.append(serverHtml('blockquote', { class: 'content muted' }, n.status.content));
  }
  if (n.type === 'follow_request') li.append(...requestActions(n.account, li));
  return li;
}

/** Puts side-by-side likes (or boosts) of one post into one group. */
function groups(list) {
  const out = [];
  for (const n of list) {
    const prev = out.at(-1);
    if (prev && GROUPED.has(n.type) && prev[0].type === n.type && prev[0].status?.id === n.status?.id) prev.push(n);
    else out.push([n]);
  }
  return out;
}

export function render(root) {
  const name = 'notifications-filter';
  const filter = h('fieldset', { class: 'choice' },
    h('legend', {}, 'Show'),
    h('label', {}, h('input', { type: 'radio', name, value: 'all', checked: true }), ' All'),
    h('label', {}, h('input', { type: 'radio', name, value: 'mentions' }), ' Mentions'));
  const list = h('ol', { class: 'notifications', 'aria-label': 'Notifications' });
  const state = h('p', { class: 'empty', role: 'status' });
  const more = h('button', { type: 'button', class: 'quiet' }, 'Load older notifications');
  const moreRow = h('div', { class: 'more', hidden: true }, more);
  root.append(h('h1', {}, 'Notifications'), filter, list, state, moreRow);

  let mentionsOnly = false;
  let next = null;
  let lastRead = null; // the marker as it was when the page opened: newer ones say "New"
  let self = null;
  let marked = false;
  let generation = 0;

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
      }
      const q = new URLSearchParams({ limit: PAGE });
      if (mentionsOnly) q.append('types[]', 'mention');
      if (!first && next) q.set('max_id', next);
      const { data, next: n } = await api(`/api/v1/notifications?${q}`);
      if (my !== generation) return;
      if (first) list.replaceChildren();
      list.append(...groups(data).map((g) => item(g, self, lastRead)));
      next = data.length >= PAGE ? n : null; // a short page is the last: no button to an empty one
      state.textContent = list.children.length ? ''
        : (mentionsOnly ? 'Nobody has mentioned you yet.' : 'Nothing yet. When people follow you, like, boost or mention your posts, it shows here.');
      if (first && !mentionsOnly && !marked) markRead(data[0]?.id);
    } catch (e) {
      if (my !== generation) return;
      state.className = 'error';
      state.textContent = `Could not load your notifications: ${e.message} Reload the page to try again.`;
    } finally {
      more.disabled = false;
      moreRow.hidden = !next;
    }
  }

  async function markRead(newest) {
    marked = true;
    if (newest && (lastRead === null || BigInt(newest) > lastRead)) {
      try {
        await api('/api/v1/markers', { json: { notifications: { last_read_id: newest } } });
      } catch {
        marked = false; // the next visit tries again; the list itself is fine
        return;
      }
    }
    refreshBadges();
  }

  filter.addEventListener('change', (e) => {
    mentionsOnly = e.target.value === 'mentions';
    next = null;
    load(true);
  });
  more.addEventListener('click', () => load(false));
  load(true);
}
