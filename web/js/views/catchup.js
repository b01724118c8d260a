// views/catchup.js — "while you were away" (#/catchup): GET /api/v1/partyline/catchup, what
// matters since the last visit (announcements, unread messages, replies and mentions, then the
// most up-voted posts), each with the server's reason, already cut by the server to a reading
// time (catchup_reading_minutes) and a number of items. The API takes only `since`, so the one
// control here is how far back to look; how long it takes to read is shown, not chosen.

import { api } from '../api.js';
import { h } from '../dom.js';
import { statusCard } from '../status.js';

export const title = 'Catch-up';

const RANGES = [
  ['', 'Since my last visit'],
  ['24', 'The last 24 hours'],
  ['72', 'The last 3 days'],
  ['168', 'The last 7 days'],
];

// A word for each kind, so the list can be scanned without reading every reason.
const KIND = {
  announcement: 'Announcement',
  direct: 'Message',
  reply_to_you: 'Reply',
  mention: 'Mention',
  top_post: 'Popular',
};

const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** counts → "2 mentions, 1 unread message and 38 new posts in your feeds" (the non-zero ones). */
function countsText(c = {}) {
  const parts = [];
  if (c.mentions) parts.push(plural(c.mentions, 'mention', 'mentions'));
  if (c.direct) parts.push(plural(c.direct, 'unread message', 'unread messages'));
  if (c.new_posts) parts.push(`${plural(c.new_posts, 'new post', 'new posts')} in your feeds`);
  if (parts.length < 2) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function itemEl(item) {
  // statusCard gives <li><article>; the reason goes in the same list item, above the post,
  // and names the article so a screen reader hears why it is there.
  const card = statusCard(item.status).firstElementChild;
  const id = `catchup-reason-${item.status.id}`;
  card.setAttribute('aria-describedby', id);
  return h('li', { class: `catchup-item kind-${item.kind}` },
    h('p', { class: 'reason', id },
      h('span', { class: 'kind' }, KIND[item.kind] ?? 'Post'), ' ', item.reason),
    card);
}

export function render(root) {
  let alive = true;
  let runId = 0;
  const range = h('select', { id: 'catchup-range' },
    RANGES.map(([v, name]) => h('option', { value: v }, name)));
  const refresh = h('button', { type: 'button', class: 'quiet' }, 'Refresh');
  const intro = h('p', { class: 'intro' });
  const state = h('p', { class: 'empty catchup-state', role: 'status', tabindex: '-1' });
  const list = h('ol', { class: 'feed catchup', 'aria-label': 'Catch-up' });
  const retry = h('button', { type: 'button', hidden: true }, 'Try again');
  const done = h('button', { type: 'button', hidden: true }, 'I\'m caught up');
  const doneNote = h('p', { class: 'hint', hidden: true }, 'Then your next catch-up starts from here.');
  const doneError = h('p', { class: 'error', role: 'alert', hidden: true });
  const doneRow = h('div', { class: 'catchup-done', hidden: true }, done, doneNote, doneError);
  root.append(
    h('h1', {}, 'While you were away'),
    h('div', { class: 'catchup-controls card' },
      h('label', { for: 'catchup-range' }, 'Catch up on'), range, refresh),
    intro, state, retry, list, doneRow);

  async function load() {
    const my = ++runId;
    refresh.disabled = true;
    retry.hidden = true;
    state.className = 'empty catchup-state';
    state.textContent = 'Gathering what you missed…';
    intro.textContent = '';
    list.replaceChildren();
    doneRow.hidden = true;
    doneError.hidden = true;
    const q = new URLSearchParams();
    if (range.value) q.set('since', new Date(Date.now() - Number(range.value) * 3600e3).toISOString());
    try {
      const { data } = await api(`/api/v1/partyline/catchup${String(q) ? `?${q}` : ''}`);
      if (!alive || my !== runId) return;
      const items = data?.items ?? [];
      const since = data?.since ? timeFmt.format(new Date(data.since)) : null;
      if (!items.length) {
        state.className = 'caught-up catchup-state';
        state.textContent = since
          ? `You are all caught up: nothing new since ${since}.`
          : 'You are all caught up.';
        return;
      }
      state.textContent = '';
      const counts = countsText(data.counts);
      const minutes = data.reading_minutes ?? 0;
      intro.textContent = [
        since && `Since ${since}${counts ? `: ${counts}` : ''}.`,
        (items.length === 1 ? 'Here is the one thing that matters most'
          : `Here are the ${items.length} things that matter most`)
          + (minutes ? `, about ${plural(minutes, 'minute', 'minutes')} of reading.` : '.'),
      ].filter(Boolean).join(' ');
      list.append(...items.map(itemEl));
      doneRow.hidden = false;
      done.hidden = false;
      doneNote.hidden = false;
      lastItemId = items[0].status.id;
    } catch (e) {
      if (!alive || my !== runId) return;
      state.className = 'error catchup-state';
      state.textContent = `Could not gather your catch-up: ${e.message}`;
      retry.hidden = false;
    } finally {
      if (my === runId) refresh.disabled = false;
    }
  }

  // "Since my last visit" is the time of the home marker (what apps set as you read), so
  // moving it to the newest post of the home feed starts the next catch-up from now.
  let lastItemId = null;
  done.addEventListener('click', async () => {
    done.disabled = true;
    doneError.hidden = true;
    try {
      const { data: newest } = await api('/api/v1/timelines/home?limit=1');
      const id = newest?.[0]?.id ?? lastItemId;
      await api('/api/v1/markers', { json: { home: { last_read_id: id } } });
      if (!alive) return;
      range.value = '';
      await load();
      state.focus(); // the button is gone with the list; the news is here
    } catch (e) {
      doneError.textContent = `Could not save where you are: ${e.message} Try again.`;
      doneError.hidden = false;
    } finally {
      done.disabled = false;
    }
  });

  range.addEventListener('change', load);
  refresh.addEventListener('click', load);
  retry.addEventListener('click', load);
  load();
  return () => { alive = false; };
}
