// timeline.js — a feed of posts, newest first, as every feed screen shows one: the first
// page, older pages as the end comes into view (max_id from the Link header, a "Load older
// posts" button for keyboards), and, where the feed has a stream, new posts arriving live
// behind a quiet "N new posts" bar instead of a jumping page.
//
//   const t = timeline({ path: '/api/v1/timelines/home', label: 'Home feed',
//                        empty: 'Nothing here yet.', live: null });
//   root.append(t.el); ... return t.destroy;
//
// path     the API path of the feed (Mastodon paging: limit, max_id)
// params   extra query parameters (object)
// label    the accessible name of the list (tests find feeds by it)
// empty    what to say when the feed has nothing
// live     optional: a function (onStatus) => unsubscribe, feeding new posts as they come
// decorate optional: (li, status) => void, adds a screen's own controls to each card
//          (the profile's "Pin to profile")

import { api } from './api.js';
import { h } from './dom.js';
import { statusCard } from './status.js';

const PAGE = 20;

export function timeline({ path, params = {}, label, empty = 'Nothing here yet.', live = null, decorate = null }) {
  const card = (s) => { const li = statusCard(s); decorate?.(li, s); return li; };
  const list = h('ol', { class: 'feed', 'aria-label': label });
  const state = h('p', { class: 'empty', role: 'status' });
  const more = h('button', { type: 'button', class: 'quiet' }, 'Load older posts');
  const moreRow = h('div', { class: 'more' }, more);
  const el = h('div', { class: 'timeline' }, list, state, moreRow);
  let next = null;
  let loading = false;
  let done = false;
  let failed = false;

  const has = (id) => list.querySelector(`[data-id="${CSS.escape(id)}"]`);

  async function loadPage() {
    if (loading || done) return;
    loading = true;
    more.disabled = true;
    state.textContent = list.children.length ? 'Loading older posts…' : 'Loading…';
    state.className = 'empty';
    try {
      const q = new URLSearchParams({ limit: PAGE, ...params });
      if (next) q.set('max_id', next);
      const { data, next: n } = await api(`${path}?${q}`);
      for (const s of data) if (!has(s.id)) list.append(card(s));
      next = n;
      done = !n || data.length === 0;
      failed = false;
      state.textContent = list.children.length ? '' : empty;
    } catch (e) {
      failed = true;
      state.className = 'error';
      state.textContent = `Could not load the feed: ${e.message}`;
    } finally {
      loading = false;
      more.disabled = false;
      moreRow.hidden = done;
    }
  }
  more.addEventListener('click', loadPage);

  let observer = null;
  if ('IntersectionObserver' in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadPage();
    }, { rootMargin: '600px' });
    observer.observe(moreRow);
  }
  const unsubscribe = live ? live((s) => { if (!has(s.id)) list.prepend(card(s)); }) : null;
  loadPage();

  return {
    el,
    list,
    /** Puts a post at the top now (one's own, just posted). */
    prepend(s) {
      if (has(s.id)) return;
      list.prepend(card(s));
      if (!failed) state.textContent = '';
    },
    destroy() {
      observer?.disconnect();
      unsubscribe?.();
    },
  };
}
