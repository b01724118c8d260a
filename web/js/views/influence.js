// views/influence.js — one's influence (#/influence; issue 15, docs/api.md "Influence"): the
// score and what it is made of (by place, topic, signal and engager, each adding up to the
// raw points), a chart of the days drawn here in SVG with each day's change in words, the
// switch that shows the score to others, and "who knows about…" (the experts of a hashtag or
// a topic). Everything comes from GET /api/v1/partyline/influence/…; nothing is computed here
// but the percentages and the chart's coordinates.

import { api } from '../api.js';
import { h } from '../dom.js';
import { displayName, personLink } from '../people.js';
import { statusCard } from '../status.js';

export const title = 'Influence';

const BASE = '/api/v1/partyline/influence';
const SVG = 'http://www.w3.org/2000/svg';
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const numFmt = new Intl.NumberFormat();

const SIGNALS = {
  reply: 'Replies', boost: 'Boosts', favourite: 'Likes', mention: 'Mentions', follow: 'New followers', pin: 'Pins',
};

// An item's name, as a person reads it.
function placeName(it) {
  switch (it.kind) {
    case 'channel': return it.display_name || (it.name ? `~${it.name}` : 'A channel');
    case 'tag': return `#${it.name}`;
    case 'feed': return "Followers' feeds";
    case 'profile': return 'New followers';
    default: return 'Elsewhere';
  }
}
function topicName(it) {
  if (it.key === 'others') return 'Others';
  if (!it.topic) return 'Unclassified';
  return it.class ? `${it.topic} (${it.class})` : it.topic;
}
const signalName = (it) => SIGNALS[it.key] ?? it.key;
function engagerName(it) {
  if (!it.account) return it.key === 'others' ? 'Everyone else' : 'Someone';
  return personLink(it.account);
}

const LISTS = [
  ['by_place', 'Where it happened', placeName],
  ['by_topic', 'Topics', topicName],
  ['by_signal', 'Signals', signalName],
  ['by_engager', 'Who engaged', engagerName],
];

function percent(raw, total) {
  if (!total) return '0%';
  const p = (100 * raw) / total;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

function breakdownList(items, total, nameOf, label) {
  if (!items.length) return h('p', { class: 'empty' }, 'Nothing yet.');
  return h('ul', { class: 'influence-parts', 'aria-label': label }, items.map((it) => {
    const share = total ? Math.max(0, Math.min(100, (100 * it.raw) / total)) : 0;
    const fill = h('span');
    fill.style.width = `${share.toFixed(2)}%`; // through the CSSOM: the page's CSP refuses style=""
    return h('li', {},
      h('span', { class: 'part-name' }, nameOf(it)),
      h('span', { class: 'part-value' }, `${numFmt.format(it.raw)} points · ${percent(it.raw, total)}`),
      h('span', { class: 'part-bar', 'aria-hidden': 'true' }, fill));
  }));
}

function svgEl(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The days' scores as a line (1–100 on the vertical axis), one point per day. */
function historyChart(days) {
  const W = 600, H = 180, PAD_L = 34, PAD_R = 10, PAD_T = 10, PAD_B = 24;
  const svg = svgEl('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'influence-chart', role: 'img',
    'aria-label': days.length === 1
      ? `Score ${days[0].score} on ${dayFmt.format(new Date(days[0].date))}`
      : `Score from ${days[0].score} on ${dayFmt.format(new Date(days[0].date))} to ${days.at(-1).score} on ${dayFmt.format(new Date(days.at(-1).date))}`,
  });
  const x = (i) => PAD_L + (days.length === 1 ? (W - PAD_L - PAD_R) / 2 : (i * (W - PAD_L - PAD_R)) / (days.length - 1));
  const y = (score) => PAD_T + ((100 - score) * (H - PAD_T - PAD_B)) / 99;
  for (const s of [1, 50, 100]) {
    svg.append(svgEl('line', { x1: PAD_L, x2: W - PAD_R, y1: y(s), y2: y(s), class: 'grid' }));
    const t = svgEl('text', { x: PAD_L - 6, y: y(s) + 4, 'text-anchor': 'end', class: 'axis' });
    t.textContent = String(s);
    svg.append(t);
  }
  const first = svgEl('text', { x: x(0), y: H - 6, 'text-anchor': days.length === 1 ? 'middle' : 'start', class: 'axis' });
  first.textContent = days[0].date;
  svg.append(first);
  if (days.length > 1) {
    const last = svgEl('text', { x: x(days.length - 1), y: H - 6, 'text-anchor': 'end', class: 'axis' });
    last.textContent = days.at(-1).date;
    svg.append(last);
    svg.append(svgEl('polyline', {
      class: 'line', points: days.map((d, i) => `${x(i).toFixed(1)},${y(d.score).toFixed(1)}`).join(' '),
    }));
  }
  days.forEach((d, i) => {
    const dot = svgEl('circle', { cx: x(i).toFixed(1), cy: y(d.score).toFixed(1), r: 3.5, class: 'dot' });
    const tip = svgEl('title');
    tip.textContent = `${d.date}: ${d.score}`;
    dot.append(tip);
    svg.append(dot);
  });
  return svg;
}

function historyList(days) {
  return h('ol', { class: 'influence-days', 'aria-label': 'Each day' }, [...days].reverse().map((d) =>
    h('li', {},
      h('p', { class: 'day-head' },
        h('strong', {}, dayFmt.format(new Date(d.date))), ' · ',
        `score ${d.score}, ${numFmt.format(d.raw)} points`),
      h('p', { class: 'day-why' }, d.explanation))));
}

function expertItem(e) {
  return h('li', { class: 'influence-expert card' },
    h('div', { class: 'expert-head' }, personLink(e.account),
      h('span', { class: 'part-value' }, `${numFmt.format(e.raw)} points`)),
    e.posts.length
      ? h('ol', { class: 'feed', 'aria-label': `Posts by ${displayName(e.account)}` }, e.posts.map((s) => statusCard(s)))
      : null);
}

export function render(root) {
  let alive = true;
  const state = h('p', { class: 'empty', role: 'status' }, 'Reading your influence…');
  const scoreBox = h('section', { class: 'influence-score card', 'aria-labelledby': 'influence-score-h' });
  const shown = h('input', { id: 'influence-shown', type: 'checkbox', role: 'switch', 'aria-describedby': 'influence-shown-hint' });
  const shownError = h('p', { class: 'error', role: 'alert', hidden: true });
  const parts = h('div', { class: 'influence-breakdown' });
  const historyBox = h('div', { class: 'influence-history' });
  const topic = h('input', { id: 'influence-topic', type: 'search', placeholder: '#hashtag or a topic', maxlength: 65, required: true });
  const expertState = h('p', { class: 'empty', role: 'status' });
  const experts = h('ol', { class: 'influence-experts', 'aria-label': 'Experts' });
  const form = h('form', { class: 'influence-ask', role: 'search' },
    h('label', { for: 'influence-topic' }, 'Who knows about'), topic,
    h('button', { type: 'submit' }, 'Find experts'));

  root.append(
    h('h1', {}, 'Your influence'),
    state,
    scoreBox,
    h('section', { class: 'card influence-show' },
      h('div', { class: 'row' }, shown, h('label', { for: 'influence-shown' }, 'Show my score to others')),
      h('p', { class: 'hint', id: 'influence-shown-hint' },
        'When on, colleagues see your score on your profile and may find you as an expert. '
        + 'They never see the channels they are not in.'),
      shownError),
    h('section', { 'aria-labelledby': 'influence-breakdown-h' },
      h('h2', { id: 'influence-breakdown-h' }, 'What it is made of'), parts),
    h('section', { 'aria-labelledby': 'influence-history-h' },
      h('h2', { id: 'influence-history-h' }, 'History'), historyBox),
    h('section', { 'aria-labelledby': 'influence-experts-h' },
      h('h2', { id: 'influence-experts-h' }, 'Ask the experts'),
      h('p', { class: 'hint' }, 'People who show their score, by how much engagement their posts on it received.'),
      form, expertState, experts));

  function showScore(me) {
    shown.checked = !!me.shown;
    scoreBox.replaceChildren(
      h('h2', { id: 'influence-score-h', class: 'visually-hidden' }, 'Score'),
      h('p', { class: 'influence-number' }, h('span', { class: 'big' }, String(me.score)), h('span', {}, ' out of 100')),
      h('p', {}, me.computed_at
        ? `${numFmt.format(me.raw)} points, computed ${timeFmt.format(new Date(me.computed_at))} (method version ${me.method_version}).`
        : 'Not computed yet: the first computation runs once a day.'));
    parts.replaceChildren(...LISTS.map(([key, name, nameOf]) => h('section', { class: 'card influence-list' },
      h('h3', {}, name), breakdownList(me.breakdown[key] ?? [], me.raw, nameOf, name))));
  }

  async function loadMe() {
    try {
      const { data } = await api(`${BASE}/me`);
      if (!alive) return;
      state.hidden = true;
      showScore(data);
    } catch (e) {
      if (!alive) return;
      state.className = 'error';
      state.textContent = `Could not read your influence: ${e.message}`;
    }
  }

  async function loadHistory() {
    try {
      const { data } = await api(`${BASE}/me/history?days=90`);
      if (!alive) return;
      historyBox.replaceChildren(...(data.length
        ? [historyChart(data), historyList(data)]
        : [h('p', { class: 'empty' }, 'No days yet.')]));
    } catch (e) {
      if (alive) historyBox.replaceChildren(h('p', { class: 'error' }, `Could not read your history: ${e.message}`));
    }
  }

  shown.addEventListener('change', async () => {
    shown.disabled = true;
    shownError.hidden = true;
    try {
      const { data } = await api(`${BASE}/me`, { method: 'PATCH', json: { shown: shown.checked } });
      if (alive) showScore(data);
    } catch (e) {
      shown.checked = !shown.checked;
      shownError.textContent = `Could not change it: ${e.message}`;
      shownError.hidden = false;
    } finally {
      shown.disabled = false;
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const t = topic.value.trim();
    if (!t) return;
    expertState.className = 'empty';
    expertState.textContent = 'Looking…';
    experts.replaceChildren();
    try {
      const { data } = await api(`${BASE}/experts?${new URLSearchParams({ topic: t })}`);
      if (!alive) return;
      expertState.textContent = data.length ? `${data.length} ${data.length === 1 ? 'person knows' : 'people know'} about ${t}.`
        : `Nobody who shows their score knows about ${t} yet.`;
      experts.append(...data.map(expertItem));
    } catch (err) {
      if (!alive) return;
      expertState.className = 'error';
      expertState.textContent = err.message;
    }
  });

  loadMe();
  loadHistory();
  return () => { alive = false; };
}
