// compose.js — the form that writes a post. Used by every screen that lets one post.
//
//   const form = composeForm({ onPosted: (status) => ..., label: 'New post' });
//
// onPosted  called with the Status the server created
// label     the form's accessible name
// extra     fields merged into the POST /api/v1/statuses body (e.g. { visibility })

import { api } from './api.js';
import { h } from './dom.js';

const FALLBACK_MAX_CHARS = 500; // until the server says (Mastodon's default)
let maxChars = null; // the server's limit (instance configuration), read once
let seq = 0;

export function composeForm({ onPosted = () => {}, label = 'New post', extra = {} } = {}) {
  const id = `compose-text-${++seq}`;
  const limit = () => maxChars ?? FALLBACK_MAX_CHARS;
  const text = h('textarea', { id, name: 'status', maxlength: limit(), required: true });
  const count = h('span', { class: 'count', 'aria-live': 'off' }, `${limit()}`);
  if (maxChars === null) {
    // the character limit is the server's: configuration.statuses.max_characters
    api('/api/v2/instance').then(({ data }) => {
      maxChars = data?.configuration?.statuses?.max_characters ?? FALLBACK_MAX_CHARS;
      text.maxLength = maxChars;
      count.textContent = `${maxChars - text.value.length}`;
    }).catch(() => {});
  }
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Post');
  text.addEventListener('input', () => { count.textContent = `${limit() - text.value.length}`; });
  const form = h('form', { class: 'compose card', 'aria-label': label },
    h('label', { for: id }, 'What would you like to share?'),
    text,
    h('div', { class: 'row' }, count, submit),
    error);
  // Ctrl/Cmd+Enter posts, as in most social apps.
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    submit.disabled = true;
    error.hidden = true;
    try {
      const { data } = await api('/api/v1/statuses', { json: { status: text.value, ...extra } });
      text.value = '';
      text.dispatchEvent(new Event('input'));
      onPosted(data);
    } catch (err) {
      error.textContent = `Your post was not sent: ${err.message} Your text is still here; try again.`;
      error.hidden = false;
    } finally {
      submit.disabled = false;
      text.focus();
    }
  });
  return form;
}
