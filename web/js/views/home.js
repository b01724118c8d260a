// views/home.js — the home feed, newest first, with compose on top.

import { composeForm } from '../compose.js';
import { h } from '../dom.js';
import { timeline } from '../timeline.js';

export const title = 'Home';

export function render(root) {
  const t = timeline({
    path: '/api/v1/timelines/home',
    label: 'Home feed',
    empty: 'Nothing here yet. Follow people or post something.',
  });
  root.append(h('h1', { class: 'visually-hidden' }, 'Home'),
    composeForm({ onPosted: (s) => t.prepend(s) }), t.el);
  return t.destroy;
}
