// conversation.js — one direct-message conversation (#/messages/<id>): the thread of its
// newest message (GET /api/v1/statuses/:id/context) as chat bubbles (bubble.js: no public
// actions, no @names in front), a reply box that writes a direct
// post to the same people, and "Delete conversation" (for oneself only). Opening it marks
// it read (POST /api/v1/conversations/:id/read). Mastodon has no GET of one conversation,
// so it is found in the list, a few pages deep at most.
//
// Live: a `conversation` event (direct stream) for this conversation puts its new message
// at the end of the thread, where a chat's new line goes, and marks it read if the page is
// visible (a hidden tab marks it when shown). The reply box is below the thread, so what is
// being typed stays where it is. What is typed there is kept as a draft (drafts.js,
// 'conversation:<id>') until sent or discarded.

import { api } from './api.js';
import { messageBubble } from './bubble.js';
import { confirmInline } from './confirm.js';
import { h, toast } from './dom.js';
import { directText } from './direct.js';
import { draftKeeper } from './drafts.js';
import { me, myId } from './me.js';
import { displayName, namesOf, profileHref, refreshBadges } from './people.js';
import { subscribe } from './stream.js';

const SEARCH_PAGES = 10;

async function findConversation(id) {
  let next = null;
  for (let i = 0; i < SEARCH_PAGES; i++) {
    const q = new URLSearchParams({ limit: 40 });
    if (next) q.set('max_id', next);
    const { data, next: n } = await api(`/api/v1/conversations?${q}`);
    const c = data.find((x) => x.id === id);
    if (c) return c;
    if (!n || !data.length) return null;
    next = n;
  }
  return null;
}

const shownIn = (list, sid) => !!list.querySelector(`article[data-id="${CSS.escape(sid)}"]`);

function markRead(id) {
  return api(`/api/v1/conversations/${encodeURIComponent(id)}/read`, { method: 'POST' })
    .then(() => refreshBadges({ fresh: true })).catch(() => {});
}

export function conversationView(root, { id, navigate }) {
  const status = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  root.append(h('p', {}, h('a', { href: '#/messages' }, 'All messages')), status);
  let live = null; // (Conversation) => void, once the thread is shown
  let unreadWhileHidden = false;
  const onVisible = () => {
    if (document.visibilityState === 'visible' && unreadWhileHidden) {
      unreadWhileHidden = false;
      markRead(id);
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  me().catch(() => {}); // who is reading: one's own message announces nothing
  const off = subscribe({ stream: 'direct' }, (event, c) => {
    if (event === 'conversation' && c?.id === id) live?.(c);
    else if (event === 'reconnected' && live) {
      findConversation(id).then((x) => { if (x) live?.(x); }).catch(() => {});
    }
  });
  (async () => {
    let c;
    let thread;
    try {
      c = await findConversation(id);
      if (!c) {
        status.className = 'error';
        status.textContent = 'This conversation is not among your messages: it may have been deleted. Go back to all messages.';
        return;
      }
      thread = [];
      if (c.last_status) {
        const { data } = await api(`/api/v1/statuses/${encodeURIComponent(c.last_status.id)}/context`);
        thread = [...data.ancestors, c.last_status, ...data.descendants];
      }
    } catch (e) {
      status.className = 'error';
      status.textContent = `Could not open this conversation: ${e.message} Reload the page to try again.`;
      return;
    }
    status.remove();
    const names = c.accounts.length ? namesOf(c.accounts) : 'yourself';
    document.title = `Messages with ${names} · partyline`;
    const group = c.accounts.length > 1; // more than two talk: each bubble says who wrote it
    const bubble = (s) => messageBubble(s, {
      group,
      onDeleted: (sid) => { const i = thread.findIndex((x) => x.id === sid); if (i >= 0) thread.splice(i, 1); },
    });
    const list = h('ol', { class: 'messages', 'aria-label': 'Messages' }, thread.map(bubble));
    const withWhom = c.accounts.length
      ? h('p', { class: 'muted' }, 'Only you and ',
        c.accounts.flatMap((a, i) => [i ? ', ' : '', h('a', { href: profileHref(a) }, a.display_name || a.username)]),
        ' see these messages.')
      : h('p', { class: 'muted' }, 'Only you see these messages.');
    root.append(h('div', { class: 'title-row' }, h('h1', {}, `Messages with ${names}`), deleteControl(c, navigate)),
      withWhom, list);
    const nothing = h('p', { class: 'empty' }, 'No message here that you can still see.');
    if (!thread.length) root.append(nothing);
    root.append(replyForm(c, thread, list, names, bubble));
    live = (x) => {
      const s = x.last_status;
      if (!s || shownIn(list, s.id)) return;
      nothing.remove();
      thread.push(s);
      list.append(bubble(s));
      if (s.account.id !== myId()) toast(`New message from ${displayName(s.account)}.`);
      if (!x.unread) return;
      if (document.visibilityState === 'visible') markRead(id);
      else unreadWhileHidden = true;
    };
    list.lastElementChild?.scrollIntoView({ block: 'nearest' });
    if (c.unread) markRead(c.id);
    else refreshBadges();
  })();
  return () => {
    live = null;
    off();
    document.removeEventListener('visibilitychange', onVisible);
  };
}

function deleteControl(c, navigate) {
  const ask = h('button', { type: 'button', class: 'quiet' }, 'Delete conversation');
  ask.addEventListener('click', () => confirmInline(ask, {
    question: 'Delete this conversation from your messages?',
    detail: 'The others keep their copy; a new message brings it back.',
    yes: 'Delete',
    no: 'Keep it',
    fail: 'The conversation was not deleted',
    onYes: async () => {
      await api(`/api/v1/conversations/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
      toast('Conversation deleted.');
      navigate('#/messages');
    },
  }));
  return h('div', { class: 'actions' }, ask);
}

function replyForm(c, thread, list, names, bubble) {
  const text = h('textarea', { id: 'dm-reply', rows: 3, required: true });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const send = h('button', { type: 'submit' }, 'Send');
  const kept = draftKeeper(`conversation:${c.id}`, {
    collect: () => (text.value.trim() ? { text: text.value } : null),
    apply: (d) => { if (typeof d.text === 'string') text.value = d.text; },
    onDiscard: () => { text.value = ''; text.focus(); },
  });
  const form = h('form', { class: 'card compose', 'aria-label': 'Reply' },
    h('label', { for: 'dm-reply' }, `Reply to ${names}`),
    text,
    kept.el,
    h('div', { class: 'row' }, h('span', { class: 'hint' }, 'Ctrl+Enter sends'), send),
    error);
  kept.restore();
  kept.watch(form);
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    send.disabled = true;
    error.hidden = true;
    const last = thread.at(-1);
    try {
      const { data } = await api('/api/v1/statuses', {
        json: {
          status: directText(c.accounts, text.value),
          visibility: 'direct',
          ...(last ? { in_reply_to_id: last.id } : {}),
        },
      });
      // the stream may have brought it first
      if (!shownIn(list, data.id)) {
        thread.push(data);
        list.append(bubble(data));
        list.lastElementChild.scrollIntoView({ block: 'nearest' });
      }
      kept.posted();
      text.value = '';
    } catch (err) {
      error.textContent = `Your message was not sent: ${err.message} Your text is still here; try again.`;
      error.hidden = false;
    } finally {
      send.disabled = false;
      text.focus();
    }
  });
  return form;
}
