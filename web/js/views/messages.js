// views/messages.js — #/messages: one's direct-message conversations (GET
// /api/v1/conversations), newest first, unread ones marked, and "New message" to one or
// more people found by name. #/messages/<conversation id> opens one (conversation.js);
// #/messages/new/<account id> opens "New message" to that person (a profile's Message).
// What "New message" holds (text and recipients) is kept as a draft (drafts.js).
//
// The list is live (the direct stream's `conversation` events): a conversation with a new
// message moves to the top with it, as in a mail inbox. Unlike a feed's posts this moves no
// reading place — each row is one line and a link, and the order is the point of the list.

import { api } from '../api.js';
import { h, serverHtml, toast } from '../dom.js';
import { conversationView } from '../conversation.js';
import { draftKeeper } from '../drafts.js';
import { directText } from '../direct.js';
import { me, myId } from '../me.js';
import { pagedList } from '../paged.js';
import { displayName, namesOf } from '../people.js';
import { subscribe } from '../stream.js';

export const title = 'Messages';

const PAGE = 20;

/**
 * The text of a message for a one-line preview inside a link (no nested links), without
 * the leading @mentions every direct message starts with.
 */
export const plainText = (html) => serverHtml('div', {}, html ?? '').textContent.trim()
  .replace(/^(@\S+\s+)+/, '');

export function render(root, { args, navigate }) {
  if (args[0] && args[0] !== 'new') return conversationView(root, { id: args[0], navigate });
  const list = h('ol', { class: 'conversations', 'aria-label': 'Conversations' });
  const slot = h('div', {});
  const newButton = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'new-message' }, 'New message');
  function openForm(to = [], note = null) {
    newButton.setAttribute('aria-expanded', 'true');
    slot.replaceChildren(newMessageForm({ navigate, to, note }));
    slot.querySelector(to.length ? 'textarea' : 'input')?.focus();
  }
  newButton.addEventListener('click', () => {
    const open = newButton.getAttribute('aria-expanded') === 'true';
    if (open) {
      newButton.setAttribute('aria-expanded', 'false');
      slot.replaceChildren();
    } else openForm();
  });
  const rowOf = (id) => list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
  me().catch(() => {}); // who is reading: a message of one's own announces nothing
  const paged = pagedList({
    list, path: '/api/v1/conversations', limit: PAGE, what: 'your messages',
    moreLabel: 'Load older conversations',
    empty: 'No messages yet. Use "New message" to write to someone privately.',
    // one that moved to the top live is not shown twice
    row: (c) => (rowOf(c.id) ? null : row(c)),
  });
  root.append(h('div', { class: 'title-row' }, h('h1', {}, 'Messages'), newButton), slot, list, paged.state, paged.moreRow);
  if (args[0] === 'new' && args[1]) {
    // from a profile's Message: that person is already under "To"
    api(`/api/v1/accounts/${encodeURIComponent(args[1])}`)
      .then(({ data }) => openForm([data]))
      .catch((e) => openForm([], `The person to write to could not be found (${e.message}). Find them by name under "To".`));
  } else if (args[0] === 'new') openForm();


  /** A conversation with a new message: to the top, keeping the keyboard on it. */
  function moveUp(c) {
    if (!c?.id) return;
    const old = rowOf(c.id);
    const hadFocus = old?.contains(document.activeElement);
    old?.remove();
    const li = row(c);
    list.prepend(li);
    paged.shown();
    if (hadFocus) li.querySelector('a').focus();
  }
  const off = subscribe({ stream: 'direct' }, async (event, c) => {
    if (event === 'conversation') {
      moveUp(c);
      const from = c.last_status?.account;
      if (c.unread && from && from.id !== myId()) toast(`New message from ${displayName(from)}.`);
    } else if (event === 'reconnected') {
      try {
        const { data } = await api(`/api/v1/conversations?limit=${PAGE}`);
        for (const x of data.reverse()) moveUp(x);
      } catch {
        // the list stays as it was; the next message or a reload brings it up to date
      }
    }
  });
  return off;
}

function row(c) {
  const people = c.accounts.length ? namesOf(c.accounts) : 'Only you';
  const last = c.last_status;
  const from = last ? `${displayName(last.account)}: ` : '';
  return h('li', { class: `card conversation${c.unread ? ' unread' : ''}`, 'data-id': c.id },
    h('a', { href: `#/messages/${encodeURIComponent(c.id)}` },
      h('span', { class: 'name' }, people),
      c.unread && h('span', { class: 'tag' }, 'Unread'),
      h('span', { class: 'preview' }, last ? `${from}${plainText(last.content)}` : 'No message you can still see')));
}

/** Write to one or more people: find them by name, then the message. */
function newMessageForm({ navigate, to = [], note = null }) {
  const chosen = new Map(to.map((a) => [a.id, a])); // id → account
  const search = h('input', { id: 'dm-search', type: 'search', autocomplete: 'off' });
  const results = h('ul', { class: 'people results', 'aria-label': 'People found' });
  const chosenList = h('ul', { class: 'chips', 'aria-label': 'Recipients' });
  const text = h('textarea', { id: 'dm-text', rows: 4 });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const send = h('button', { type: 'submit' }, 'Send');
  const searchState = h('p', { class: 'muted', role: 'status' });

  function drawChosen() {
    chosenList.replaceChildren(...[...chosen.values()].map((a) => h('li', {},
      h('span', {}, `${displayName(a)} @${a.acct}`),
      h('button', {
        type: 'button', class: 'quiet', 'aria-label': `Remove ${displayName(a)}`,
        onclick: () => { chosen.delete(a.id); drawChosen(); search.focus(); },
      }, '×'))));
    chosenList.hidden = chosen.size === 0;
  }
  drawChosen();

  let timer = null;
  let asked = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    const q = search.value.trim();
    if (!q) { results.replaceChildren(); searchState.textContent = ''; return; }
    timer = setTimeout(async () => {
      const my = ++asked;
      try {
        const { data } = await api(`/api/v1/accounts/search?${new URLSearchParams({ q, limit: 8 })}`);
        if (my !== asked) return;
        const self = await me();
        const found = data.filter((a) => a.id !== self.id && !a.group);
        results.replaceChildren(...found.map((a) => h('li', {},
          h('button', {
            type: 'button', class: 'quiet',
            onclick: () => { chosen.set(a.id, a); drawChosen(); search.value = ''; results.replaceChildren(); searchState.textContent = `${displayName(a)} added.`; search.focus(); },
          }, `Add ${displayName(a)} @${a.acct}`))));
        searchState.textContent = found.length ? `${found.length} found.` : `Nobody found for "${q}".`;
      } catch (e) {
        searchState.textContent = `Search did not work: ${e.message}`;
      }
    }, 250);
  });

  // the draft: of "New message", or of a message to the people it was opened for
  const place = to.length ? `message:to:${to.map((a) => a.id).sort().join(',')}` : 'message:new';
  const kept = draftKeeper(place, {
    collect: () => (text.value.trim() ? {
      text: text.value,
      to: [...chosen.values()].map((a) => ({ id: a.id, acct: a.acct, username: a.username, display_name: a.display_name })),
    } : null),
    apply(d) {
      if (typeof d.text === 'string') text.value = d.text;
      for (const a of Array.isArray(d.to) ? d.to : []) {
        if (typeof a?.id === 'string' && typeof a.acct === 'string') chosen.set(a.id, a);
      }
      drawChosen();
    },
    onDiscard: () => { text.value = ''; text.focus(); },
  });
  const form = h('form', { id: 'new-message', class: 'card compose', 'aria-label': 'New message' },
    note && h('p', { class: 'error', role: 'alert' }, note),
    h('label', { for: 'dm-search' }, 'To: find people by name'),
    search, searchState, results, chosenList,
    h('label', { for: 'dm-text' }, 'Message'),
    text,
    h('p', { class: 'hint' }, 'Only the people you add see this message.'),
    kept.el,
    h('div', { class: 'row' }, send),
    error);
  kept.restore();
  kept.watch(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!chosen.size) {
      error.textContent = 'Add at least one person to write to: type a name under "To".';
      error.hidden = false;
      search.focus();
      return;
    }
    if (!text.value.trim()) {
      error.textContent = 'Write a message first.';
      error.hidden = false;
      text.focus();
      return;
    }
    send.disabled = true;
    try {
      const { data: st } = await api('/api/v1/statuses', {
        json: { status: directText([...chosen.values()], text.value), visibility: 'direct' },
      });
      const { data: convs } = await api('/api/v1/conversations?limit=10');
      kept.posted();
      const c = convs.find((x) => x.last_status?.id === st.id);
      navigate(c ? `#/messages/${encodeURIComponent(c.id)}` : '#/messages');
    } catch (err) {
      error.textContent = `Your message was not sent: ${err.message} Your text is still here; try again.`;
      error.hidden = false;
      send.disabled = false;
    }
  });
  return form;
}
