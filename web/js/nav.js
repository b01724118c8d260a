// nav.js — the main navigation: one entry per top-level screen, each a hash route that
// router.js maps to views/<name>.js. setBadge() shows a count (unread notifications,
// messages) beside an entry, spoken as part of its name.

import { h } from './dom.js';
import { session } from './session.js';

export const ENTRIES = [
  ['home', 'Home'],
  ['channels', 'Channels'],
  ['feeds', 'Feeds'],
  ['notifications', 'Notifications'],
  ['messages', 'Messages'],
  ['search', 'Search'],
  ['catchup', 'Catch-up'],
  ['profile', 'Profile'],
];

const links = new Map();

/** Shows n beside the entry named route (0 hides the count). */
export function setBadge(route, n) {
  const a = links.get(route);
  if (!a) return;
  const badge = a.querySelector('.badge');
  // The name is the visible text plus a hidden word ("Notifications 3 unread"): an
  // aria-label that differs from what is shown fails voice control (axe
  // label-content-name-mismatch), since people say what they see.
  badge.replaceChildren(h('span', { class: 'visually-hidden' }, ' '),
    n > 0 ? (n > 99 ? '99+' : String(n)) : '',
    h('span', { class: 'visually-hidden' }, ' unread'));
  badge.hidden = !(n > 0);
  badge.removeAttribute('aria-hidden');
}

/** Marks the entry of the current route as the current page. */
export function markCurrent(route) {
  for (const [r, a] of links) {
    if (r === route) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

export function drawNav() {
  const nav = document.getElementById('nav');
  links.clear();
  if (!session.isSignedIn()) {
    nav.replaceChildren();
    return;
  }
  const items = ENTRIES.map(([route, name]) => {
    // the ' ' keeps "Notifications 3" two words for axe's label-in-name check (flex hides it)
    const a = h('a', { href: `#/${route}` }, h('span', { class: 'label' }, name), ' ',
      h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' }));
    links.set(route, a);
    return h('li', {}, a);
  });
  nav.replaceChildren(h('ul', {}, items),
    h('button', { type: 'button', class: 'quiet', onclick: () => session.signOut() }, 'Sign out'));
  markCurrent(location.hash.replace(/^#\/?/, '').split('/')[0] || 'home');
}
