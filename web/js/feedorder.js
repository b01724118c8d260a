// feedorder.js — the "Newest / Top" choice of the feed screens (home, a curated feed, a
// hashtag) and the Top feed itself. The choice is part of the address (#/home/top,
// #/home/top/7d), so a reload, a bookmark or a shared link keeps it; the switch is links,
// not buttons, for the same reason.
//
// Top is GET /api/v1/partyline/timelines/top (docs/api.md "Top"): the feed's posts of a
// window ranked by votes with time decay, paged by offset. It has no live updates: a
// ranking is not in time order, and a post arriving at the top would be a lie.

import { h } from './dom.js';
import { statusCard } from './status.js';
import { timeline } from './timeline.js';

const WINDOWS = [['24h', 'Today'], ['7d', 'This week'], ['30d', 'This month']];

/**
 * Reads the order from the route's remaining arguments (['top', '7d'] or []).
 * Returns {top, window}.
 */
export function parseOrder(args) {
  const top = args[0] === 'top';
  const win = WINDOWS.some(([w]) => w === args[1]) ? args[1] : '24h';
  return { top, window: win };
}

/** The switch: base is the feed's address without the order ('#/home', '#/tag/cycling'). */
export function orderSwitch(base, { top, window: win }) {
  const link = (href, text, current) => h('a', { href, 'aria-current': current ? 'page' : null }, text);
  return h('nav', { class: 'order', 'aria-label': 'Order of posts' },
    h('div', { class: 'switch' },
      link(base, 'Newest', !top),
      link(`${base}/top`, 'Top', top)),
    top && h('div', { class: 'switch windows', role: 'group', 'aria-label': 'Top posts of' },
      WINDOWS.map(([w, text]) => link(`${base}/top/${w}`, text, w === win))));
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function ageText(hours) {
  if (hours < 1) return 'under an hour old';
  if (hours < 48) return `${plural(Math.round(hours), 'hour', 'hours')} old`;
  return `${plural(Math.round(hours / 24), 'day', 'days')} old`;
}

/** A post of a Top feed, with the short reason it ranks where it does. */
export function topCard(s) {
  const li = statusCard(s);
  const sc = s.partyline?.score;
  if (sc) {
    const parts = [plural(sc.votes ?? 0, 'vote', 'votes')];
    if (sc.boosts) parts.push(plural(sc.boosts, 'boost', 'boosts'));
    if (sc.replies) parts.push(plural(sc.replies, 'reply', 'replies'));
    parts.push(ageText(sc.age_hours ?? 0));
    (li.querySelector('article') ?? li).append(h('p', { class: 'score', title: sc.formula ?? '' },
      `Score ${Number(sc.value).toFixed(1)}: ${parts.join(', ')}`));
  }
  return li;
}

/** The Top feed of one source ('home', 'list:<id>', 'tag:<name>'). */
export function topTimeline({ feed, window: win, label, empty }) {
  return timeline({
    path: '/api/v1/partyline/timelines/top',
    params: { feed, window: win, explain: 'true' },
    label,
    empty,
    card: topCard,
    paging: 'offset',
    moreLabel: 'Load more posts',
  });
}
