// topbar.js — the phone's top bar beside the brand: a search field (submitting opens the
// search view, #/search/<query>) and one's avatar opening a menu: Profile, Settings, Sign
// out. On wide screens (≥ 900 px) app.css hides it: the left column has those entries.
//
// The menu is a menu button (WAI-ARIA APG): aria-haspopup, aria-expanded; Enter, Space or
// Down open it on the first item, Up on the last; Up/Down/Home/End move, Escape closes it
// and gives focus back to the button, Tab or a click elsewhere closes it.

import { avatarImg } from './avatar.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { me, onMeChange } from './me.js';
import { session } from './session.js';

let menuButton = null;
let menu = null;

function items() {
  return menu ? [...menu.querySelectorAll('[role="menuitem"]')] : [];
}

function setOpen(open, focus = null) {
  if (!menuButton) return;
  menuButton.setAttribute('aria-expanded', String(open));
  menu.hidden = !open;
  if (open) {
    const all = items();
    all[focus === 'last' ? all.length - 1 : 0]?.focus();
  } else if (focus === 'button') {
    menuButton.focus();
  }
}

const isOpen = () => menuButton?.getAttribute('aria-expanded') === 'true';

let closersAdded = false;
function addClosers() {
  if (closersAdded) return;
  closersAdded = true;
  document.addEventListener('click', (e) => {
    if (isOpen() && !e.target.closest?.('.account-menu')) setOpen(false);
  });
  window.addEventListener('hashchange', () => setOpen(false));
}

function onMenuKey(e) {
  const all = items();
  const at = all.indexOf(document.activeElement);
  const go = (i) => { e.preventDefault(); all[(i + all.length) % all.length]?.focus(); };
  if (e.key === 'ArrowDown') go(at + 1);
  else if (e.key === 'ArrowUp') go(at - 1);
  else if (e.key === 'Home') go(0);
  else if (e.key === 'End') go(all.length - 1);
  else if (e.key === 'Escape') { e.preventDefault(); setOpen(false, 'button'); }
  else if (e.key === 'Tab') setOpen(false);
}

function searchForm() {
  const input = h('input', {
    type: 'search', name: 'q', id: 'topbar-search', placeholder: 'Search', autocomplete: 'off',
    enterkeyhint: 'search', 'aria-label': 'Search partyline',
  });
  const form = h('form', { class: 'topbar-search', role: 'search', 'aria-label': 'Search' },
    icon('search'), input);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    location.hash = q ? `#/search/${encodeURIComponent(q)}` : '#/search';
    input.blur();
  });
  return form;
}

/** Puts one's avatar into the menu button's picture (the icon stays if it cannot be read). */
function showPicture(picture) {
  me().then((a) => {
    const img = avatarImg(a, 36);
    if (img) picture.replaceChildren(img);
  }, () => {});
}

// a new picture uploaded in the profile editor shows here at once, not after a reload
onMeChange(() => {
  const picture = menuButton?.querySelector('.account-picture');
  if (picture && session.isSignedIn()) showPicture(picture);
});

function accountMenu() {
  const picture = h('span', { class: 'account-picture' }, icon('account'));
  menuButton = h('button', {
    type: 'button', class: 'account-toggle quiet', id: 'account-toggle', 'aria-haspopup': 'menu',
    'aria-expanded': 'false', 'aria-controls': 'account-menu',
  }, picture, h('span', { class: 'visually-hidden' }, 'Your account'));
  showPicture(picture);
  const item = (el) => h('li', { role: 'none' }, el);
  menu = h('ul', { class: 'account-items', id: 'account-menu', role: 'menu', 'aria-labelledby': 'account-toggle', hidden: true },
    item(h('a', { role: 'menuitem', href: '#/profile', tabindex: '-1' }, 'Profile')),
    item(h('a', { role: 'menuitem', href: '#/settings', tabindex: '-1' }, 'Settings')),
    item(h('button', {
      type: 'button', role: 'menuitem', class: 'quiet', tabindex: '-1',
      onclick: () => { setOpen(false); session.signOut(); },
    }, 'Sign out')));
  menu.addEventListener('keydown', onMenuKey);
  menu.addEventListener('click', (e) => { if (e.target.closest('a')) setOpen(false); });
  menuButton.addEventListener('click', () => setOpen(!isOpen()));
  menuButton.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true, e.key === 'ArrowUp' ? 'last' : 'first');
    } else if ((e.key === 'Enter' || e.key === ' ') && !isOpen()) {
      e.preventDefault(); // the click it would make would toggle it again
      setOpen(true);
    } else if (e.key === 'Escape' && isOpen()) {
      e.preventDefault();
      setOpen(false, 'button');
    }
  });
  addClosers();
  return h('div', { class: 'account-menu' }, menuButton, menu);
}

/** Draws the top bar's tools (nothing when signed out); main.js redraws on sign-in/out. */
export function drawTopbar() {
  const bar = document.getElementById('topbar');
  if (!bar) return;
  menuButton = null;
  menu = null;
  if (!session.isSignedIn()) {
    bar.replaceChildren();
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  bar.replaceChildren(searchForm(), accountMenu());
}
