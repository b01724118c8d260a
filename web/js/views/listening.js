// views/listening.js — one's watches, "#/listening" (issue 16, C12; docs/api.md "Listening"):
// each with its title (a link to its dashboard, #/watch/<id>), its query, and its counts of
// matches, feed matches and alerts (GET /api/v1/partyline/watches, newest first); "New
// watch" opens the editor (#/watch/new), "Alerts" the list of every watch's alerts.

import { h } from '../dom.js';
import { plural, W } from '../listening.js';
import { pagedList } from '../paged.js';

export const title = 'Listening';

function watchRow(w) {
  return h('li', { class: 'card watch-row', 'data-id': w.id },
    h('h2', {}, h('a', { href: `#/watch/${encodeURIComponent(w.id)}` }, w.title)),
    h('p', {}, h('code', { class: 'watch-query' }, w.query)),
    h('p', { class: 'muted' },
      plural(w.matches_count, 'post'), ' · ', plural(w.feed_matches_count, 'feed item'), ' · ',
      plural(w.alerts_count, 'alert')));
}

export function render(root) {
  const list = h('ul', { class: 'watch-list', 'aria-label': 'Your watches' });
  const p = pagedList({
    list, path: W, limit: 40, row: watchRow, what: 'your watches',
    empty: 'No watches yet. A watch hears what the company says about something: make one with New watch.',
  });
  root.append(
    h('div', { class: 'title-row' }, h('h1', {}, 'Listening'),
      h('a', { class: 'button', href: '#/watch/new' }, 'New watch')),
    h('p', { class: 'lede' }, 'Your watches: queries over every post and company feed you may see. ',
      h('a', { href: '#/alerts' }, 'See all your alerts.')),
    list, p.state, p.moreRow);
}
