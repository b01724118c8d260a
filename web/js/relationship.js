// relationship.js — what one can do about another person on their profile: follow
// (or ask to, when they approve followers), unfollow or withdraw a request, mute, block
// (after a confirmation, since it also removes follows both ways). The buttons follow the
// server's Relationship (GET /api/v1/accounts/relationships; every action answers one).

import { api } from './api.js';
import { confirmInline } from './confirm.js';
import { h } from './dom.js';
import { displayName } from './people.js';

/** onChange(rel) runs after the server answered an action (the profile's counts change). */
export function relationshipControls(a, { onChange = () => {} } = {}) {
  const who = displayName(a);
  const path = (what) => `/api/v1/accounts/${encodeURIComponent(a.id)}/${what}`;
  const box = h('div', { class: 'actions', 'aria-live': 'polite' });
  const note = h('p', { class: 'muted' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const wrap = h('div', { class: 'relationship' }, box, note, error);
  let rel = null;

  async function act(what, label) {
    // the buttons are redrawn: keep the keyboard where it was
    const hadFocus = box.contains(document.activeElement);
    error.hidden = true;
    for (const b of box.querySelectorAll('button')) b.disabled = true;
    try {
      const { data } = await api(path(what), { method: 'POST' });
      rel = data;
      onChange(rel);
    } catch (e) {
      error.textContent = `${label} did not work: ${e.message} Try again.`;
      error.hidden = false;
    }
    draw();
    if (hadFocus) box.querySelector('button')?.focus();
  }
  const button = (label, what, cls = '') =>
    h('button', { type: 'button', class: cls, onclick: () => act(what, label) }, label);

  function confirmBlock(e) {
    confirmInline(e.currentTarget, {
      question: `Block ${who}?`,
      detail: 'You will stop following each other, and they will not see your posts or be able to follow you.',
      yes: `Block ${who}`,
      onYes: () => act('block', 'Blocking'),
    });
  }

  function draw() {
    if (!rel) return;
    const parts = [];
    if (rel.blocking) {
      parts.push(button('Unblock', 'unblock'));
      note.textContent = `You have blocked ${who}.`;
    } else {
      if (rel.following) parts.push(button('Unfollow', 'unfollow', 'quiet'));
      else if (rel.requested) parts.push(button('Withdraw follow request', 'unfollow', 'quiet'));
      else if (!rel.blocked_by) parts.push(button(a.locked ? 'Ask to follow' : 'Follow', 'follow'));
      parts.push(rel.muting ? button('Unmute', 'unmute', 'quiet') : button('Mute', 'mute', 'quiet'));
      parts.push(h('button', { type: 'button', class: 'quiet', onclick: confirmBlock }, 'Block'));
      note.textContent = [
        rel.requested && `Requested: ${who} approves followers and has not answered yet.`,
        rel.followed_by && `${who} follows you.`,
        rel.muting && `Muted: you will not see ${who}'s posts in your feeds.`,
      ].filter(Boolean).join(' ');
    }
    box.replaceChildren(...parts);
  }

  api(`/api/v1/accounts/relationships?id[]=${encodeURIComponent(a.id)}`)
    .then(({ data }) => { rel = data[0] ?? null; draw(); })
    .catch((e) => {
      error.textContent = `Could not load whether you follow ${who}: ${e.message} Reload the page to try again.`;
      error.hidden = false;
    });
  return wrap;
}
