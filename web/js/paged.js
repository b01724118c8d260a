// paged.js — a list that loads page by page, for everything that is not a feed of posts
// (timeline.js is that): people, conversations, channels. Mastodon paging — limit, and
// max_id from the Link header — a "Loading…" / empty / error line (with Try again), and a
// "Show more" button while there is more. A page shorter than the limit is the last.
//
//   const p = pagedList({ list, path: '/api/v1/conversations', row: (c) => h('li', …),
//                         empty: 'No messages yet.', what: 'your messages' });
//   root.append(list, p.state, p.moreRow);   // p.ready: the first page's promise
//   p.shown()                                // a row came from elsewhere: no "empty" note
//
// keep(item) leaves out items (a page that held only left-out items reads on);
// row(item) returns the <li>, or null to skip it (one already shown). apiOpts go to api()
// with every page ({admin: true} for the administration area's lists).

import { api } from './api.js';
import { h } from './dom.js';

export function pagedList({
  list, path, params = {}, limit = 40, row, keep = () => true, empty, what,
  moreLabel = 'Show more', apiOpts = {},
}) {
  const text = h('span');
  const retry = h('button', { type: 'button', class: 'quiet', hidden: true }, 'Try again');
  const state = h('p', { class: 'empty', role: 'status' }, text, ' ', retry);
  const more = h('button', { type: 'button', class: 'quiet' }, moreLabel);
  const moreRow = h('div', { class: 'more', hidden: true }, more);
  let next = null;
  let loading = false;

  const say = (words, error = false) => {
    text.textContent = words;
    state.className = error ? 'error' : 'empty';
    retry.hidden = !error;
  };

  async function load() {
    if (loading) return;
    loading = true;
    more.disabled = true;
    say('Loading…');
    try {
      for (;;) {
        const q = new URLSearchParams({ limit, ...params });
        if (next) q.set('max_id', next);
        const { data, next: n } = await api(`${path}?${q}`, apiOpts);
        const kept = data.filter(keep);
        for (const item of kept) {
          const li = row(item);
          if (li) list.append(li);
        }
        next = n && data.length >= limit ? n : null;
        if (kept.length || !next) break;
      }
      say(list.children.length ? '' : empty);
    } catch (e) {
      say(`Could not load ${what}: ${e.message}`, true);
    } finally {
      loading = false;
      more.disabled = false;
      moreRow.hidden = !next;
    }
  }
  more.addEventListener('click', load);
  retry.addEventListener('click', load);
  /** Clears the empty note (a row was added from elsewhere, e.g. live). */
  const shown = () => { if (!retry.hidden) return; say(''); };
  return { state, moreRow, load, shown, ready: load() };
}
