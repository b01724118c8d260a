// views/home.js — the home feed, newest first, with compose on top. Older posts load as
// the end of the list comes into view (max_id from the Link header); a "Load older posts"
// button does the same for keyboards and when observers are unavailable.

import { api } from '../api.js';
import { h } from '../dom.js';
import { statusCard } from '../status.js';

export const title = 'Home';
const PAGE = 20;
const FALLBACK_MAX_CHARS = 500; // until the server says (Mastodon's default)
let maxChars = null; // the server's limit (instance configuration), read once

export function render(root) {
  const list = h('ol', { class: 'feed', 'aria-label': 'Home feed' });
  const state = h('p', { class: 'empty', role: 'status' });
  const more = h('button', { type: 'button', class: 'quiet' }, 'Load older posts');
  const moreRow = h('div', { class: 'more' }, more);
  let next = null;
  let loading = false;
  let done = false;

  async function loadPage() {
    if (loading || done) return;
    loading = true;
    more.disabled = true;
    state.textContent = list.children.length ? 'Loading older posts…' : 'Loading…';
    state.className = 'empty';
    try {
      const q = new URLSearchParams({ limit: PAGE });
      if (next) q.set('max_id', next);
      const { data, next: n } = await api(`/api/v1/timelines/home?${q}`);
      for (const s of data) if (!list.querySelector(`[data-id="${CSS.escape(s.id)}"]`)) list.append(statusCard(s));
      next = n;
      done = !n || data.length === 0;
      state.textContent = list.children.length ? '' : 'Nothing here yet. Follow people or post something.';
    } catch (e) {
      state.className = 'error';
      state.textContent = `Could not load the feed: ${e.message}`;
    } finally {
      loading = false;
      more.disabled = false;
      moreRow.hidden = done;
    }
  }
  more.addEventListener('click', loadPage);

  const posted = () => { if (!state.classList.contains('error')) state.textContent = ''; };
  root.append(h('h1', { class: 'visually-hidden' }, 'Home'), composeForm(list, posted), list, state, moreRow);

  let observer = null;
  if ('IntersectionObserver' in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadPage();
    }, { rootMargin: '600px' });
    observer.observe(moreRow);
  }
  loadPage();
  return () => observer?.disconnect();
}

function composeForm(list, onPosted) {
  const limit = () => maxChars ?? FALLBACK_MAX_CHARS;
  const text = h('textarea', { id: 'compose-text', name: 'status', maxlength: limit(), required: true });
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
  const form = h('form', { class: 'compose card', 'aria-label': 'New post' },
    h('label', { for: 'compose-text' }, 'What would you like to share?'),
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
      const { data } = await api('/api/v1/statuses', { json: { status: text.value } });
      list.prepend(statusCard(data));
      onPosted();
      text.value = '';
      text.dispatchEvent(new Event('input'));
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
