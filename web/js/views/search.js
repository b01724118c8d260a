// views/search.js — search (#/search, #/search/<query>, #/search/<query>/<type>): a box, the
// filters the server's query language offers as form controls, and results in People,
// Posts and Hashtags. The query lives in the address so results survive a reload; the
// filters only write that query (searchquery.js), which is shown so people learn to type it.
// GET /api/v2/search has no Link header: older posts are asked for with max_id = the last
// post's id (posts come newest first).

import { api } from '../api.js';
import { avatarImg } from '../avatar.js';
import { h } from '../dom.js';
import { build, parse } from '../searchquery.js';
import { statusCard } from '../status.js';

export const title = 'Search';

const PAGE = 20;
const TYPES = [['all', 'Everything'], ['accounts', 'People'], ['statuses', 'Posts'], ['hashtags', 'Hashtags']];

function field(id, label, input, hint) {
  input.id = id;
  const hintEl = hint && h('span', { class: 'hint', id: `${id}-hint` }, hint);
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl);
}

function check(id, label, input) {
  input.id = id;
  return h('div', { class: 'field check' }, input, h('label', { for: id }, label));
}

function syntaxHelp() {
  const row = (code, what) => h('li', {}, h('code', {}, code), ` ${what}`);
  return h('details', { class: 'syntax' },
    h('summary', {}, 'How to write a search'),
    h('ul', {},
      row('budget review', 'posts with every word, in any order'),
      row('"budget review"', 'the words together, in this order'),
      row('#launch', 'posts with that hashtag'),
      row('from:amara', 'by that person (from:me for your own)'),
      row('after:2025-03-01', 'after that day (before: and during: too)'),
      row('in:marketing', 'shared to that channel'),
      row('has:poll', 'with a poll; is:reply for replies')));
}

export function render(root, { args }) {
  let alive = true;
  let runId = 0;
  const ctl = {
    words: h('input', { type: 'search', name: 'q', autocomplete: 'off' }),
    from: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
    after: h('input', { type: 'date' }),
    before: h('input', { type: 'date' }),
    during: h('input', { type: 'date' }),
    in: h('input', { type: 'text', list: 'search-channels', autocomplete: 'off', autocapitalize: 'none' }),
    poll: h('input', { type: 'checkbox' }),
    reply: h('input', { type: 'checkbox' }),
    type: h('select', {}, TYPES.map(([v, name]) => h('option', { value: v }, name))),
  };
  const channels = h('datalist', { id: 'search-channels' });
  const preview = h('code', { class: 'query' });
  const previewRow = h('p', { class: 'preview' }, 'Query: ', preview);
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const filters = h('details', { class: 'filters' },
    h('summary', {}, 'Filters'),
    h('div', { class: 'grid' },
      field('search-from', 'From (username)', ctl.from, 'me for your own posts'),
      field('search-in', 'In channel', ctl.in),
      field('search-after', 'Posted after', ctl.after),
      field('search-before', 'Posted before', ctl.before),
      field('search-during', 'Posted on', ctl.during),
      field('search-type', 'Show', ctl.type),
      check('search-poll', 'Has a poll', ctl.poll),
      check('search-reply', 'Is a reply', ctl.reply)),
    channels);
  const form = h('form', { class: 'search-form card', role: 'search', 'aria-label': 'Search' },
    h('div', { class: 'field' },
      h('label', { for: 'search-q' }, 'Search people, posts and hashtags'),
      h('div', { class: 'row' }, Object.assign(ctl.words, { id: 'search-q' }),
        h('button', { type: 'submit' }, 'Search'))),
    filters, previewRow, formError, syntaxHelp());
  const summary = h('p', { class: 'summary', role: 'status' });
  const results = h('div', { class: 'results' });
  root.append(h('h1', {}, 'Search'), form, summary, results);

  const values = () => ({
    words: ctl.words.value, from: ctl.from.value, after: ctl.after.value, before: ctl.before.value,
    during: ctl.during.value, in: ctl.in.value, poll: ctl.poll.checked, reply: ctl.reply.checked,
  });
  const showPreview = () => {
    const q = build(values());
    preview.textContent = q;
    previewRow.hidden = !q;
  };
  form.addEventListener('input', showPreview);
  form.addEventListener('change', showPreview);

  function fill(q, type) {
    const f = parse(q);
    for (const k of ['words', 'from', 'after', 'before', 'during', 'in']) ctl[k].value = f[k];
    ctl.poll.checked = f.poll;
    ctl.reply.checked = f.reply;
    ctl.type.value = TYPES.some(([v]) => v === type) ? type : 'all';
    filters.open = !!(f.from || f.after || f.before || f.during || f.in || f.poll || f.reply || ctl.type.value !== 'all');
    showPreview();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = build(values());
    if (!q) {
      formError.textContent = 'Type something to search for, or choose a filter.';
      formError.hidden = false;
      ctl.words.focus();
      return;
    }
    formError.hidden = true;
    const type = ctl.type.value;
    // Keep the query in the address (reload, back, sharing) without re-rendering the form
    // under the person's hands: the router listens to hashchange only.
    const hash = `#/search/${encodeURIComponent(q)}${type !== 'all' ? `/${type}` : ''}`;
    if (location.hash !== hash) history.pushState(null, '', hash);
    document.title = `${q} · Search · partyline`;
    run(q, type);
  });

  async function run(q, type) {
    const my = ++runId;
    results.replaceChildren();
    summary.className = 'summary';
    summary.textContent = 'Searching…';
    const params = new URLSearchParams({ q, limit: PAGE });
    if (type !== 'all') params.set('type', type);
    let data;
    try {
      ({ data } = await api(`/api/v2/search?${params}`));
    } catch (e) {
      if (!alive || my !== runId) return;
      summary.className = 'summary error';
      summary.textContent = e.status === 422
        ? `This search cannot run: ${e.message} Change the query and search again.`
        : `The search did not work: ${e.message}`;
      return;
    }
    if (!alive || my !== runId) return;
    const { accounts = [], statuses = [], hashtags = [] } = data ?? {};
    if (!accounts.length && !statuses.length && !hashtags.length) {
      summary.textContent = `No results for “${q}”.`;
      results.append(noResults(q));
      return;
    }
    const n = (k, one, many) => `${k}${k >= PAGE ? '+' : ''} ${k === 1 ? one : many}`;
    const found = [];
    if (accounts.length) found.push(n(accounts.length, 'person', 'people'));
    if (statuses.length) found.push(n(statuses.length, 'post', 'posts'));
    if (hashtags.length) found.push(n(hashtags.length, 'hashtag', 'hashtags'));
    summary.textContent = `Found ${found.join(', ')} for “${q}”.`;
    const current = () => alive && my === runId;
    if (accounts.length) results.append(peopleSection(q, accounts, current));
    if (statuses.length) results.append(postsSection(q, statuses, current));
    if (hashtags.length) results.append(tagsSection(q, hashtags, current));
  }

  // Channels you are in, offered as suggestions for "In channel" (best effort: typing works).
  api('/api/v1/partyline/channels?member=true&limit=40').then(({ data }) => {
    if (alive) channels.replaceChildren(...(data ?? []).map((c) => h('option', { value: c.name })));
  }).catch(() => {});

  const [q = '', type = 'all'] = args;
  fill(q, type);
  if (q) {
    document.title = `${q} · Search · partyline`;
    run(q, ctl.type.value);
  } else {
    ctl.words.focus();
  }
  return () => { alive = false; };
}

// One group of results with a "More …" button. Posts page by max_id (they are newest
// first); people and hashtags have no id order, so they page by offset.
function group({ id, heading, label, listTag = 'ul', listClass, first, item, key, more, fetchPage, current }) {
  const list = h(listTag, { class: listClass, 'aria-label': label });
  const button = h('button', { type: 'button', class: 'quiet' }, more);
  const state = h('p', { class: 'empty', role: 'status' });
  const moreRow = h('div', { class: 'more' }, button);
  const seen = new Set();
  let count = 0;
  let last = null;
  const add = (items) => {
    for (const x of items) {
      count += 1;
      last = x.id ?? last;
      if (seen.has(key(x))) continue;
      seen.add(key(x));
      list.append(item(x));
    }
  };
  add(first);
  moreRow.hidden = first.length < PAGE;
  button.addEventListener('click', async () => {
    button.disabled = true;
    state.className = 'empty';
    state.textContent = 'Loading more…';
    try {
      const items = await fetchPage({ offset: count, last });
      if (!current()) return;
      add(items);
      moreRow.hidden = items.length < PAGE;
      state.textContent = moreRow.hidden ? 'That is everything that matches.' : '';
    } catch (e) {
      state.className = 'error';
      state.textContent = `Could not load more: ${e.message} Try again.`;
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'result-group', 'aria-labelledby': id }, h('h2', { id }, heading), list, state, moreRow);
}

async function page(q, type, extra) {
  const params = new URLSearchParams({ q, type, limit: PAGE, ...extra });
  const { data } = await api(`/api/v2/search?${params}`);
  return data?.[type] ?? [];
}

function peopleSection(q, accounts, current) {
  return group({
    id: 'search-people', heading: 'People', label: 'People found', listClass: 'people', more: 'More people',
    first: accounts, key: (a) => a.id, current,
    item: (a) => h('li', {}, h('a', { href: `#/profile/${encodeURIComponent(a.id)}`, class: 'person' },
      avatarImg(a, 40),
      h('span', { class: 'who' }, h('span', { class: 'name' }, a.display_name || a.username), ' ',
        h('span', { class: 'acct' }, `@${a.acct}`)))),
    fetchPage: ({ offset }) => page(q, 'accounts', { offset }),
  });
}

function tagsSection(q, tags, current) {
  return group({
    id: 'search-tags', heading: 'Hashtags', label: 'Hashtags found', listClass: 'tags', more: 'More hashtags',
    first: tags, key: (t) => t.name, current,
    item: (t) => h('li', {}, h('a', { href: `#/tag/${encodeURIComponent(t.name)}` }, `#${t.name}`)),
    fetchPage: ({ offset }) => page(q, 'hashtags', { offset }),
  });
}

function postsSection(q, statuses, current) {
  return group({
    id: 'search-posts', heading: 'Posts', label: 'Posts found', listTag: 'ol', listClass: 'feed', more: 'More posts',
    first: statuses, key: (s) => s.id, current, item: statusCard,
    fetchPage: ({ last }) => page(q, 'statuses', { max_id: last }),
  });
}

function noResults(q) {
  const f = parse(q);
  const filtered = f.from || f.after || f.before || f.during || f.in || f.poll || f.reply;
  return h('div', { class: 'no-results card' },
    h('p', {}, 'Some things to try:'),
    h('ul', {},
      h('li', {}, 'Check the spelling, or use fewer words: a post must contain every word you type.'),
      f.words.includes('"') && h('li', {}, 'Words in quotes must appear together in that order; try them without quotes.'),
      filtered && (f.words
        ? h('li', {}, 'Search without the filters: ', h('a', { href: `#/search/${encodeURIComponent(f.words)}` }, f.words), '.')
        : h('li', {}, 'Use fewer filters, or a wider date range.')),
      f.from && h('li', {}, `from: needs a username exactly, like from:${f.from.replace(/^@/, '').toLowerCase()}; an unknown name finds nothing.`),
      f.in && h('li', {}, 'in: needs the channel\'s name; a private channel\'s posts are found only by its members.'),
      h('li', {}, 'People are found by the start of their username or name, hashtags by the start of theirs.')));
}
