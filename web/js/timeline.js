// timeline.js — a feed of posts, newest first, as every feed screen shows one: the first
// page, older pages as the end comes into view (max_id from the Link header, a "Load older
// posts" button for keyboards), and, where the feed has a stream, new posts arriving live
// behind a quiet "N new posts" bar instead of a jumping page.
//
//   const t = timeline({ path: '/api/v1/timelines/home', label: 'Home feed',
//                        empty: 'Nothing here yet.', stream: { stream: 'user' } });
//   root.append(t.el); ... return t.destroy;
//
// path     the API path of the feed (Mastodon paging: limit, max_id)
// params   extra query parameters (object)
// label    the accessible name of the list (tests find feeds by it)
// empty    what to say when the feed has nothing
// stream   optional: a stream.js subscription ({stream, tag, list, channel}); its 'update' events
//          collect behind the bar, 'delete' removes a card, 'status.update' replaces one,
//          and after a reconnect the feed fetches what it missed (min_id)
// accept   optional: (status) => bool, which of the stream's new posts belong in this feed
//          (for a stream that carries more than the feed shows)
// live     optional: a function (onStatus) => unsubscribe, for feeds with another source
//          of new posts (they collect behind the bar too)
// decorate optional: (li, status) => void, adds a screen's own controls to each card
//          (the profile's "Pin to profile")
// card     optional: (status) => <li>, to draw posts differently (default statusCard)
// paging   'max_id' (default) or 'offset' for rankings, which have no id order
// moreLabel the text of the button that loads the next page (default 'Load older posts')
// placeholder optional: an element shown where the list will be until the first page has
//          been drawn (or failed): the home feed's copy of the last visit (homesnapshot.js)
// onDrawn  optional: (list) => void, after each page is drawn (the home feed saves its copy)
//
// Why always the bar, even for a reader at the very top: a post that appears by itself
// moves what is being read (or what a screen reader is on) without warning, and the top
// is exactly where people start reading. The bar floats over the feed (it takes no room),
// so nothing moves until the reader asks; one's own post is the exception (prepend).

import { api } from './api.js';
import { h } from './dom.js';
import { statusCard } from './status.js';
import { subscribe } from './stream.js';

const PAGE = 20;
const CATCH_UP = 40; // the API's largest page
const CATCH_UP_PAGES = 5;
const SLOW_MS = 3000;
// The first page is drawn in two steps: the cards a screen shows (a phone shows three or
// four, a desk five or six), then the rest after the browser has painted those — so the
// first post is on screen without waiting for twenty cards to be built.
const FIRST_CARDS = 6;
const afterPaint = () => new Promise((resolve) => {
  requestAnimationFrame(() => setTimeout(resolve, 0));
  setTimeout(resolve, 100); // a hidden page draws no frames
});

/** Newer first: ids are decimal strings of 64-bit numbers (longer is newer). */
const newer = (a, b) => (a.length !== b.length ? b.length - a.length : a < b ? 1 : a > b ? -1 : 0);

let barWatch = null;
/** The floating bar sits below the sticky header, whose height changes with the nav's wrapping. */
export function watchHeaderHeight() {
  const bar = document.querySelector('header.bar');
  if (barWatch || !bar || !('ResizeObserver' in window)) return;
  barWatch = new ResizeObserver(() => {
    document.documentElement.style.setProperty('--bar-h', `${bar.offsetHeight}px`);
  });
  barWatch.observe(bar);
}

export function timeline({
  path, params = {}, label, empty = 'Nothing here yet.', live = null, stream = null, accept = null,
  card = statusCard, decorate = null, paging = 'max_id', moreLabel = 'Load older posts',
  placeholder = null, onDrawn = null,
}) {
  const list = h('ol', { class: 'feed', 'aria-label': label });
  const showNew = h('button', { type: 'button', class: 'new-posts-button', hidden: true });
  const bar = h('div', { class: 'new-posts', 'aria-live': 'polite' }, showNew);
  const stateText = h('span');
  const retry = h('button', { type: 'button', class: 'quiet', hidden: true }, 'Try again');
  const state = h('div', { class: 'empty', role: 'status', tabindex: '-1' }, stateText, ' ', retry);
  const more = h('button', { type: 'button', class: 'quiet' }, moreLabel);
  const moreRow = h('div', { class: 'more' }, more);
  const el = h('div', { class: 'timeline' }, bar, placeholder ?? list, state, moreRow);
  let next = null;
  let offset = 0;
  let loading = false;
  let done = false;
  let failed = false;
  let destroyed = false;
  const pending = new Map(); // id -> Status, not yet shown
  const boosts = new Map(); // boost id -> its Status, to redraw it when the boosted post changes
  watchHeaderHeight();

  const cardOf = (id) => list.querySelector(`article[data-id="${CSS.escape(id)}"]`)?.closest('li');
  const has = (id) => !!cardOf(id);
  /** The boosts shown of the post id (Mastodon sends no event of their own when it changes). */
  const boostsOf = (id) => [...list.querySelectorAll(`li[data-boost-of="${CSS.escape(id)}"]`)];

  function draw(s) {
    const li = card(s);
    decorate?.(li, s);
    li.dataset.post = s.reblog?.id ?? s.id;
    if (s.reblog) {
      li.dataset.boostOf = s.reblog.id;
      boosts.set(s.id, s);
      li.boosters = [s.account];
    }
    return li;
  }

  // A post is shown once however many people one follows boosted it: its newest appearance
  // holds it, and says who boosted it ("Ana and 2 others boosted"); older appearances (the
  // post itself, other boosts) add their booster to it instead of a card of their own.
  const heldCard = (s) => list.querySelector(`li[data-post="${CSS.escape(s.reblog?.id ?? s.id)}"]`);
  function addBoosters(li, accounts) {
    if (!li.boosters) return; // the post itself holds it: it was shown before any boost
    for (const a of accounts) if (!li.boosters.some((b) => b.id === a.id)) li.boosters.push(a);
    const line = li.querySelector('.boosted');
    if (!line || li.boosters.length < 2) return;
    const [first, ...rest] = li.boosters.map((a) => a.display_name || a.username);
    line.textContent = rest.length === 1 ? `${first} and ${rest[0]} boosted` : `${first} and ${rest.length} others boosted`;
    line.title = `Boosted by ${li.boosters.map((a) => a.display_name || a.username).join(', ')}`;
  }
  /** An older appearance of a shown post: merged into its card (true), or a card of its own. */
  function mergeOlder(s) {
    const held = heldCard(s);
    if (!held) return false;
    if (s.reblog) addBoosters(held, [s.account]);
    return true;
  }
  /** A newer appearance takes the place of the older card, with its boosters. */
  function drawNewer(s) {
    const li = draw(s);
    const held = heldCard(s);
    if (held) {
      if (s.reblog && held.boosters) addBoosters(li, held.boosters);
      held.remove();
    }
    return li;
  }

  function say(text, { error = false, canRetry = false } = {}) {
    stateText.textContent = text;
    state.className = error ? 'error' : 'empty';
    retry.hidden = !canRetry;
  }

  async function loadPage() {
    if (loading || done || destroyed) return;
    loading = true;
    more.disabled = true;
    const first = list.children.length === 0;
    // a placeholder says itself that it is being updated
    say(first ? (placeholder ? '' : 'Loading…') : 'Loading older posts…');
    const slow = setTimeout(() => {
      say('Still loading… The server is slow to answer; the posts will appear here when it does.');
    }, SLOW_MS);
    try {
      const q = new URLSearchParams({ limit: PAGE, ...params });
      if (paging === 'offset') q.set('offset', offset);
      else if (next) q.set('max_id', next);
      const { data, next: n } = await api(`${path}?${q}`);
      if (destroyed) return;
      let drawn = 0;
      let painted = !first; // the first page's first cards are painted before the rest
      for (const s of data) {
        if (!painted && drawn === FIRST_CARDS) {
          painted = true;
          if (placeholder) {
            placeholder.replaceWith(list);
            placeholder = null;
          }
          await afterPaint();
          if (destroyed) return;
        }
        if (!has(s.id) && !mergeOlder(s)) {
          list.append(draw(s));
          drawn++;
        }
      }
      // a live post that this page also brought is shown now, not a second time by the bar
      if ([...pending.keys()].some(has)) {
        for (const id of [...pending.keys()]) if (has(id)) pending.delete(id);
        drawBar();
      }
      next = n;
      offset += data.length;
      done = data.length === 0 || (paging === 'offset' ? data.length < PAGE : !n);
      failed = false;
      say(list.children.length ? '' : empty);
      onDrawn?.(list);
    } catch (e) {
      failed = true;
      say(`Could not load ${first ? 'the feed' : 'older posts'}: ${e.message}`, { error: true, canRetry: true });
    } finally {
      clearTimeout(slow);
      if (placeholder) {
        placeholder.replaceWith(list);
        placeholder = null;
      }
      loading = false;
      more.disabled = false;
      moreRow.hidden = done || failed;
      // a short page leaves the end in view, and the observer only speaks on changes:
      // observing afresh reports the current state, so the next page comes if it is needed
      if (!done && !failed && observer) {
        observer.unobserve(moreRow);
        observer.observe(moreRow);
      }
    }
  }
  more.addEventListener('click', loadPage);
  retry.addEventListener('click', () => {
    // the button goes while loading: keep focus on the message, which says what happens next
    state.focus();
    loadPage();
  });

  function drawBar() {
    const n = pending.size;
    showNew.hidden = n === 0;
    showNew.textContent = n === 1 ? '1 new post' : `${n} new posts`;
  }

  function addPending(s) {
    if (!s?.id || has(s.id)) return;
    pending.set(s.id, s);
    drawBar();
  }

  /** Puts the waiting posts at the top, newest first, and moves focus to the first. */
  function showPending() {
    // newest first: a post's newest appearance takes the place of its card further down, and
    // older appearances among the waiting ones add their boosters to it
    const batch = new Map(); // post id → its card in this batch
    const cards = [];
    for (const id of [...pending.keys()].sort(newer).filter((x) => !has(x))) {
      const s = pending.get(id);
      const pid = s.reblog?.id ?? s.id;
      if (batch.has(pid)) {
        if (s.reblog) addBoosters(batch.get(pid), [s.account]);
        continue;
      }
      const li = drawNewer(s);
      batch.set(pid, li);
      cards.push(li);
    }
    pending.clear();
    drawBar();
    if (!cards.length) return;
    list.prepend(...cards);
    say('');
    const article = cards[0].querySelector('article') ?? cards[0];
    article.tabIndex = -1;
    article.focus();
  }
  showNew.addEventListener('click', showPending);

  function remove(id) {
    id = String(id);
    pending.delete(id);
    drawBar();
    cardOf(id)?.remove();
    for (const li of boostsOf(id)) li.remove();
    if (!list.children.length && !loading && !failed) say(empty);
  }

  function replace(s) {
    if (pending.has(s.id)) pending.set(s.id, s);
    cardOf(s.id)?.replaceWith(draw(s));
    for (const li of boostsOf(s.id)) {
      const boost = boosts.get(li.querySelector('article')?.dataset.id);
      if (!boost) continue;
      const next = draw({ ...boost, reblog: s });
      addBoosters(next, li.boosters ?? []);
      li.replaceWith(next);
    }
  }

  /** After a drop: what arrived while the stream was down, behind the bar like live posts. */
  async function catchUp() {
    const known = [...pending.keys(), ...[...list.querySelectorAll('article[data-id]')].map((a) => a.dataset.id)];
    const newest = known.sort(newer)[0];
    if (!newest) {
      if (!loading && (failed || list.children.length === 0)) {
        done = false;
        loadPage();
      }
      return;
    }
    // min_id pages forward from the newest post shown, so a long outage leaves no gap
    // (since_id would give the newest 40 only); a few pages, then the reader can reload
    let cursor = newest;
    try {
      for (let round = 0; round < CATCH_UP_PAGES && !destroyed; round++) {
        const q = new URLSearchParams({ limit: CATCH_UP, ...params, min_id: cursor });
        const { data } = await api(`${path}?${q}`);
        for (const s of data) addPending(s);
        if (data.length < CATCH_UP) break;
        cursor = data.map((s) => s.id).sort(newer)[0];
      }
    } catch {
      // what came is behind the bar; the next reconnect or a reload brings the rest
    }
  }

  let observer = null;
  if ('IntersectionObserver' in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !failed) loadPage();
    }, { rootMargin: '600px' });
    observer.observe(moreRow);
  }
  const unsubscribers = [];
  if (live) unsubscribers.push(live(addPending));
  if (stream) {
    unsubscribers.push(subscribe(stream, (event, payload) => {
      if (event === 'update') { if (!accept || accept(payload)) addPending(payload); }
      else if (event === 'delete') remove(payload);
      else if (event === 'status.update') replace(payload);
      else if (event === 'reconnected') catchUp();
    }));
  }
  loadPage();

  return {
    el,
    list,
    /** Puts a post at the top now (one's own, just posted). */
    prepend(s) {
      if (pending.delete(s.id)) drawBar();
      if (has(s.id)) return;
      list.prepend(drawNewer(s));
      if (!failed) say('');
    },
    /** Fetches what is newer than the newest post shown, behind the bar. */
    catchUp,
    destroy() {
      destroyed = true;
      observer?.disconnect();
      for (const off of unsubscribers) off?.();
    },
  };
}
