// views/watch.js — one watch (issue 16, C12; docs/api.md "Listening"): its editor,
// "#/watch/new" and "#/watch/<id>/edit", and its dashboard, "#/watch/<id>[/1d|7d|30d]".
//
// The editor: title, query and the channel its alerts are posted in (the channels one may post
// in: joined, and open to members' posts or moderated by one). As the query is typed a preview
// reads what it would match (POST …/watches/preview, 300 ms after the last key; every answer
// but the newest request's is dropped, so a slow stale one never overwrites a newer); a fault
// is shown at its character (listening.js queryFault), the field aria-invalid and described by
// it. Save is POST or PATCH, then the dashboard; the server's 422 for the query is shown the
// same way, any other at the form.
//
// The dashboard (GET …/:id/dashboard?period=): the period switch (kept in the address, pushed
// without a redraw so focus stays on it), the volume over time (an SVG bar chart with its
// figures in its name), the change against the period before, the tone split, top posts and
// authors, then the latest matches and feed matches (paged) and the watch's alerts. Edit, and
// Delete with an inline confirm. Another person's watch is the API's 404, said as such.

import { api } from '../api.js';
import { confirmInline } from '../confirm.js';
import { h } from '../dom.js';
import {
  alertRow, fmt, PERIOD_WORDS, PERIODS, plural, queryFault, toneBar, volumeChart, W, when,
} from '../listening.js';
import { pagedList } from '../paged.js';
import { personLink } from '../people.js';
import { statusCard } from '../status.js';

export const title = 'Watch';

const PREVIEW_MS = 300;

export function render(root, { args, navigate }) {
  const id = args[0] ?? '';
  if (id === 'new') return editor(root, null, navigate);
  if (!/^\d+$/.test(id)) return notFound(root);
  if (args[1] === 'edit') return editor(root, id, navigate);
  return dashboard(root, id, PERIODS[args[1]] ? args[1] : '7d', navigate);
}

function notFound(root) {
  document.title = 'Watch not found · partyline';
  root.replaceChildren(h('h1', {}, 'Watch not found'),
    h('p', { class: 'empty' }, 'This watch does not exist or is not yours. ', h('a', { href: '#/listening' }, 'Go to your watches.')));
}

/** The channels one may post in, for the alerts' channel. */
async function postableChannels() {
  const out = [];
  let next = null;
  for (let i = 0; i < 5; i++) {
    const q = new URLSearchParams({ member: 'true', limit: 40 });
    if (next) q.set('max_id', next);
    const { data, next: n } = await api(`/api/v1/partyline/channels?${q}`);
    out.push(...data.filter((c) => c.posting !== 'moderators' || c.can_moderate));
    if (!n || data.length < 40) break;
    next = n;
  }
  return out;
}

/* ---------------------------------------------------------------- the editor */

function editor(root, id, navigate) {
  let gone = false;
  document.title = `${id ? 'Edit watch' : 'New watch'} · partyline`;
  const heading = h('h1', {}, id ? 'Edit watch' : 'New watch');
  const titleIn = h('input', { id: 'wt-title', type: 'text', maxlength: 100, autocomplete: 'off', 'aria-describedby': 'wt-title-error' });
  const titleErr = h('p', { class: 'field-error', id: 'wt-title-error', hidden: true });
  const query = h('textarea', {
    id: 'wt-query', rows: 3, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'wt-query-hint wt-query-fault',
  });
  const fault = h('div', { id: 'wt-query-fault' });
  const channel = h('select', { id: 'wt-channel', 'aria-describedby': 'wt-channel-hint' }, h('option', { value: '' }, 'No channel'));
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Save watch');
  const back = h('a', { href: id ? `#/watch/${encodeURIComponent(id)}` : '#/listening' }, 'Cancel');
  const form = h('form', { class: 'card stack watch-form', 'aria-label': id ? 'Edit watch' : 'New watch' },
    h('div', { class: 'field' }, h('label', { for: 'wt-title' }, 'Title'), titleIn, titleErr),
    h('div', { class: 'field' }, h('label', { for: 'wt-query' }, 'Query'),
      h('p', { class: 'hint', id: 'wt-query-hint' },
        'Words, "phrases", AND, OR, NOT, (parentheses), a NEAR/5 b, from:name, in:#channel, #hashtags. Case and accents do not matter.'),
      query, fault),
    h('div', { class: 'field' }, h('label', { for: 'wt-channel' }, 'Post its alerts in'),
      h('p', { class: 'hint', id: 'wt-channel-hint' }, 'Alerts come to you as notifications; a channel you post in can hear them too.'),
      channel),
    formError,
    h('div', { class: 'row' }, submit, back));
  const previewState = h('p', { class: 'empty', role: 'status' }, 'Type a query to see what it would match.');
  const previewList = h('ol', { class: 'feed', 'aria-label': 'Preview' });
  root.append(heading, form,
    h('section', { class: 'watch-preview', 'aria-labelledby': 'wt-preview-h' },
      h('h2', { id: 'wt-preview-h' }, 'Preview'), previewState, previewList));

  function showFault(err) {
    if (!err) {
      fault.replaceChildren();
      query.removeAttribute('aria-invalid');
      return;
    }
    fault.replaceChildren(queryFault('wt-query-fault-text', query.value, err));
    query.setAttribute('aria-invalid', 'true');
  }

  // the preview: the newest request's answer only
  let timer = 0;
  let asked = 0;
  async function preview() {
    const mine = ++asked;
    const q = query.value;
    if (!q.trim()) {
      showFault(null);
      previewList.replaceChildren();
      previewState.className = 'empty';
      previewState.textContent = 'Type a query to see what it would match.';
      return;
    }
    previewState.className = 'empty';
    previewState.textContent = 'Looking…';
    try {
      const { data } = await api(`${W}/preview`, { json: { query: q } });
      if (gone || mine !== asked) return;
      if (!data.ok) {
        showFault(data.error);
        previewList.replaceChildren();
        previewState.textContent = 'The query is not finished: see the fault above.';
        return;
      }
      showFault(null);
      previewList.replaceChildren(...data.statuses.map((s) => statusCard(s)));
      previewState.textContent = data.statuses.length
        ? `${plural(data.statuses.length, 'post')} of the latest ${fmt(data.looked_at)} match.`
        : `None of the latest ${fmt(data.looked_at)} posts match.`;
    } catch (e) {
      if (gone || mine !== asked) return;
      previewState.className = 'error';
      previewState.textContent = `The preview could not be read: ${e.message}`;
    }
  }
  query.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(preview, PREVIEW_MS);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError.hidden = true;
    titleErr.hidden = true;
    titleIn.removeAttribute('aria-invalid');
    clearTimeout(timer);
    asked++; // a preview still on its way no longer speaks
    submit.disabled = true;
    try {
      const json = { title: titleIn.value, query: query.value, channel_id: channel.value || null };
      const { data } = id
        ? await api(`${W}/${encodeURIComponent(id)}`, { method: 'PATCH', json })
        : await api(W, { json });
      navigate(`#/watch/${encodeURIComponent(data.id)}`);
    } catch (err) {
      if (gone) return;
      const d = err.data ?? {};
      if (err.status === 422 && d.position) {
        showFault({ position: d.position, reason: d.reason ?? err.message });
        query.focus();
      } else if (err.status === 422 && /title/i.test(d.error ?? '')) {
        titleErr.textContent = err.message.replace(/^Validation failed: /, '');
        titleErr.hidden = false;
        titleIn.setAttribute('aria-invalid', 'true');
        titleIn.focus();
      } else {
        formError.textContent = `The watch was not saved: ${err.message.replace(/^Validation failed: /, '')}`;
        formError.hidden = false;
      }
    } finally {
      submit.disabled = false;
    }
  });

  // a watch being edited: nothing to save until it is read
  submit.disabled = !!id;
  (async () => {
    try {
      const [chans, w] = await Promise.all([
        postableChannels().catch(() => []),
        id ? api(`${W}/${encodeURIComponent(id)}`).then((r) => r.data) : null,
      ]);
      if (gone) return;
      channel.append(...chans.map((c) => h('option', { value: c.id }, c.display_name || `~${c.name}`)));
      if (w) {
        titleIn.value = w.title;
        query.value = w.query;
        if (w.channel_id && !chans.some((c) => c.id === w.channel_id)) {
          channel.append(h('option', { value: w.channel_id }, 'A channel you no longer post in'));
        }
        channel.value = w.channel_id ?? '';
        heading.textContent = `Edit “${w.title}”`;
        submit.disabled = false;
        preview();
      }
    } catch (err) {
      if (gone) return;
      if (err.status === 404) notFound(root);
      else {
        formError.textContent = `The watch could not be read: ${err.message}`;
        formError.hidden = false;
      }
    }
  })();
  titleIn.focus();
  return () => { gone = true; clearTimeout(timer); };
}

/* ---------------------------------------------------------------- the dashboard */

function dashboard(root, id, period, navigate) {
  let gone = false;
  let my = 0;
  const base = `${W}/${encodeURIComponent(id)}`;
  const heading = h('h1', {}, 'Watch');
  const queryLine = h('p', {}, h('code', { class: 'watch-query' }));
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading the watch…');
  const edit = h('a', { class: 'button', href: `#/watch/${encodeURIComponent(id)}/edit` }, 'Edit');
  const del = h('button', { type: 'button', class: 'danger' }, 'Delete');
  const switcher = h('div', { class: 'period-switch', role: 'group', 'aria-label': 'Period' });
  const summary = h('section', { class: 'card watch-summary', 'aria-labelledby': 'wd-volume-h' });
  const tops = h('div', { class: 'watch-tops' });
  const body = h('div', { hidden: true });
  root.append(h('div', { class: 'title-row' }, heading, h('div', { class: 'row' }, edit, del)), queryLine, state, body);

  del.addEventListener('click', () => confirmInline(del, {
    question: 'Delete this watch, its matches and its alerts?',
    yes: 'Delete watch',
    fail: 'The watch was not deleted',
    onYes: async () => {
      await api(base, { method: 'DELETE' });
      navigate('#/listening');
    },
  }));

  function drawSwitch() {
    switcher.replaceChildren(...Object.entries(PERIODS).map(([p, name]) => {
      const b = h('button', { type: 'button', class: 'quiet', 'aria-pressed': String(p === period) }, name);
      b.addEventListener('click', () => {
        if (p === period) return;
        period = p;
        history.pushState(null, '', `#/watch/${encodeURIComponent(id)}/${p}`);
        drawSwitch();
        loadDash();
      });
      return b;
    }));
  }

  async function loadDash() {
    const mine = ++my;
    summary.setAttribute('aria-busy', 'true');
    try {
      const { data: d } = await api(`${base}/dashboard?period=${period}`);
      if (gone || mine !== my) return;
      drawDash(d);
    } catch (err) {
      if (gone || mine !== my) return;
      summary.replaceChildren(h('p', { class: 'error' }, `Could not read the dashboard: ${err.message}`));
    } finally {
      if (mine === my) summary.removeAttribute('aria-busy');
    }
  }

  function changeWords(d) {
    const now = d.current.matches;
    const before = d.previous.matches;
    if (d.change == null) return `${plural(now, 'match', 'matches')}; none in ${PERIOD_WORDS[period]}.`;
    const pct = Math.round(d.change * 100);
    const dir = pct > 0 ? `up ${pct}%` : pct < 0 ? `down ${-pct}%` : 'no change';
    return `${plural(now, 'match', 'matches')}, ${dir} against ${PERIOD_WORDS[period]} (${fmt(before)}).`;
  }

  function drawDash(d) {
    summary.replaceChildren(
      h('h2', { id: 'wd-volume-h' }, `Volume by ${d.step}`),
      switcher,
      h('p', { class: 'watch-change' }, changeWords(d)),
      volumeChart(d.volume, d.step),
      h('h3', {}, 'Tone'),
      toneBar(d.current.tone));
    tops.replaceChildren(
      h('section', { 'aria-labelledby': 'wd-top-h' }, h('h2', { id: 'wd-top-h' }, 'Top posts'),
        d.top_statuses.length ? h('ol', { class: 'feed', 'aria-label': 'Top posts' }, d.top_statuses.map((s) => statusCard(s)))
          : h('p', { class: 'empty' }, 'No posts in this period.')),
      h('section', { class: 'card', 'aria-labelledby': 'wd-authors-h' }, h('h2', { id: 'wd-authors-h' }, 'Top authors'),
        d.top_authors.length
          ? h('ol', { class: 'watch-authors', 'aria-label': 'Top authors' }, d.top_authors.map((a) =>
            h('li', {}, personLink(a.account), ' ', h('span', { class: 'muted' }, plural(a.matches, 'match', 'matches')))))
          : h('p', { class: 'empty' }, 'Nobody in this period.')));
  }

  function drawLists() {
    const matches = h('ol', { class: 'feed', 'aria-label': 'Latest matches' });
    const m = pagedList({ list: matches, path: `${base}/matches`, limit: 20, row: (s) => statusCard(s), what: 'the matches', empty: 'No posts matched yet.' });
    const feed = h('ul', { class: 'feed-matches', 'aria-label': 'Feed matches' });
    const f = pagedList({
      list: feed, path: `${base}/feed_matches`, limit: 20, what: 'the feed matches', empty: 'No feed item matched yet.',
      row: (it) => h('li', { class: 'card' },
        h('p', {}, it.link ? h('a', { href: it.link, rel: 'noopener noreferrer', target: '_blank' }, it.title || it.link) : it.title),
        h('p', { class: 'muted' }, it.source, it.published_at ? [' · ', when(it.published_at)] : null)),
    });
    const alerts = h('ul', { class: 'alert-list', 'aria-label': 'Alerts of this watch' });
    const a = pagedList({ list: alerts, path: `${W}/alerts`, params: { watch_id: id }, limit: 20, what: 'the alerts', empty: 'No alerts yet.', row: alertRow });
    return [
      h('section', { 'aria-labelledby': 'wd-alerts-h' }, h('h2', { id: 'wd-alerts-h' }, 'Alerts'), alerts, a.state, a.moreRow),
      h('section', { 'aria-labelledby': 'wd-matches-h' }, h('h2', { id: 'wd-matches-h' }, 'Latest matches'), matches, m.state, m.moreRow),
      h('section', { 'aria-labelledby': 'wd-feed-h' }, h('h2', { id: 'wd-feed-h' }, 'Feed matches'), feed, f.state, f.moreRow),
    ];
  }

  (async () => {
    try {
      const { data: w } = await api(base);
      if (gone) return;
      heading.textContent = w.title;
      document.title = `${w.title} · partyline`;
      queryLine.firstChild.textContent = w.query;
      state.hidden = true;
      drawSwitch();
      body.replaceChildren(summary, tops, ...drawLists());
      body.hidden = false;
      await loadDash();
    } catch (err) {
      if (gone) return;
      if (err.status === 404) notFound(root);
      else {
        state.className = 'error';
        state.textContent = `Could not read this watch: ${err.message}`;
      }
    }
  })();
  return () => { gone = true; };
}
