// views/alerts.js — every alert of one's watches, "#/alerts" (issue 16, C12; docs/api.md
// "Listening"): newest first, paged (GET /api/v1/partyline/watches/alerts), each saying what
// jumped and linking to its page (#/alert/<id>).

import { h } from '../dom.js';
import { alertRow, W } from '../listening.js';
import { pagedList } from '../paged.js';

export const title = 'Alerts';

export function render(root) {
  const list = h('ul', { class: 'alert-list', 'aria-label': 'Alerts' });
  const p = pagedList({
    list, path: `${W}/alerts`, limit: 20, row: alertRow, what: 'your alerts',
    empty: 'No alerts yet. A watch alerts you when what it hears jumps well above its usual.',
  });
  root.append(h('h1', {}, 'Alerts'),
    h('p', { class: 'lede' }, 'When a watch hears much more than usual. ', h('a', { href: '#/listening' }, 'Your watches.')),
    list, p.state, p.moreRow);
}
