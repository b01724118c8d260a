// nav.js — the main navigation: one entry per top-level screen, each a hash route that
// router.js maps to views/<name>.js. setBadge() shows a count (unread notifications,
// messages) beside an entry, spoken as part of its name. The first PRIMARY entries are the
// phone's bottom tab bar; the rest sit behind its "More" button (app.css shows them all, and
// no More button, on wide screens, where the nav is a left column).

import { h } from './dom.js';
import { icon } from './icons.js';
import { me, staffRole } from './me.js';
import { session } from './session.js';

export const ENTRIES = [
  ['home', 'Home'],
  ['channels', 'Channels'],
  ['feeds', 'Feeds'],
  ['notifications', 'Notifications'],
  ['messages', 'Messages'],
  ['search', 'Search'],
  ['catchup', 'Catch-up'],
  ['influence', 'Influence'],
  ['tickets', 'Tickets'],
  ['listening', 'Listening'],
  ['profile', 'Profile'],
  ['bookmarks', 'Bookmarks'],
  ['favourites', 'Likes'],
  ['filters', 'Filters'],
  ['settings', 'Settings'],
];

const PRIMARY = 5;
const links = new Map();
let moreButton = null;

/** Shows n beside the entry named route (0 hides the count). */
export function setBadge(route, n) {
  const a = links.get(route);
  if (!a) return;
  const badge = a.querySelector('.badge');
  // The name is the visible text plus hidden words ("Notifications, 3 unread"): an
  // aria-label that differs from what is shown fails voice control (axe
  // label-content-name-mismatch), since people say what they see.
  // The label and the badge are flex items, which name computation separates by a space:
  // the comma ends the label ("Notifications," then "3 unread"), unseen (app.css: font-size 0).
  a.querySelector('.label .sep').textContent = n > 0 ? ',' : '';
  badge.replaceChildren(n > 0 ? (n > 99 ? '99+' : String(n)) : '',
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
  // the More button looks current when the page is one of the entries behind it
  const behind = ENTRIES.slice(PRIMARY).some(([r]) => r === route);
  moreButton?.classList.toggle('current', behind);
  setMoreOpen(false);
}

function setMoreOpen(open) {
  if (!moreButton) return;
  moreButton.setAttribute('aria-expanded', String(open));
  document.getElementById('nav')?.classList.toggle('more-open', open);
}

// One listener for the page's life: Escape or a click elsewhere closes the More list.
let closersAdded = false;
function addClosers() {
  if (closersAdded) return;
  closersAdded = true;
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || moreButton?.getAttribute('aria-expanded') !== 'true') return;
    setMoreOpen(false);
    moreButton.focus();
  });
  document.addEventListener('click', (e) => {
    if (moreButton?.getAttribute('aria-expanded') !== 'true') return;
    if (!e.target.closest?.('.nav-more, .nav-more-toggle')) setMoreOpen(false);
  });
}

export function drawNav() {
  const nav = document.getElementById('nav');
  links.clear();
  moreButton = null;
  nav.classList.remove('more-open');
  if (!session.isSignedIn()) {
    nav.replaceChildren();
    return;
  }
  const items = ENTRIES.map(([route, name], i) => {
    // the tab bar's entries have an icon above the name (decorative: aria-hidden); the
    // label's hidden comma, with the badge, makes the name "Notifications, 3 unread"
    const a = h('a', { href: `#/${route}` }, i < PRIMARY ? icon(route) : null,
      h('span', { class: 'label' }, name, h('span', { class: 'sep' })),
      h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' }));
    links.set(route, a);
    return h('li', {}, a);
  });
  moreButton = h('button', {
    type: 'button', class: 'nav-more-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav-more',
    onclick: () => setMoreOpen(moreButton.getAttribute('aria-expanded') !== 'true'),
  }, icon('more'), h('span', { class: 'label' }, 'More'));
  addClosers();
  nav.replaceChildren(
    h('ul', { class: 'nav-main' }, items.slice(0, PRIMARY), h('li', { class: 'nav-more-item' }, moreButton)),
    h('ul', { class: 'nav-more', id: 'nav-more' }, items.slice(PRIMARY)),
    h('button', { type: 'button', class: 'quiet signout', onclick: () => session.signOut() }, 'Sign out'));
  markCurrent(location.hash.replace(/^#\/?/, '').split('/')[0] || 'home');
  addAdminEntry();
}

// Administration (views/admin.js) is listed for administrators and moderators only, once the
// account is known; for others the address still answers, saying whom the area is for.
function addAdminEntry() {
  const token = session.token();
  me().then((account) => {
    if (!staffRole(account) || session.token() !== token || links.has('admin')) return;
    const a = h('a', { href: '#/admin' }, h('span', { class: 'label' }, 'Administration', h('span', { class: 'sep' })),
      h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' }));
    links.set('admin', a);
    document.getElementById('nav-more')?.append(h('li', {}, a));
    markCurrent(location.hash.replace(/^#\/?/, '').split('/')[0] || 'home');
  }, () => {});
}
