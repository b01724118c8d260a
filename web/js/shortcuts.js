// shortcuts.js — the keyboard shortcuts of Mastodon's web interface, for people who read a
// feed with the keyboard: j/k move between posts, Enter or o opens one, r replies, f likes,
// b boosts, n writes a new post, / searches, g then a letter goes to a screen, ? lists them
// all. Keys typed into a field are the field's (only Escape leaves it); a key with Ctrl,
// Alt or Meta is the browser's. A shortcut acts on the post that has the focus (or holds
// it): moving puts the focus on the post itself, so a screen reader says which post it is.
//
//   startShortcuts(navigate);   // once, from main.js

import { h } from './dom.js';
import { session } from './session.js';

/** What the help lists, in its order: [keys, what they do]. */
export const SHORTCUTS = [
  ['j', 'Next post'],
  ['k', 'Previous post'],
  ['Enter or o', 'Open the post'],
  ['r', 'Reply to the post'],
  ['f', 'Like the post'],
  ['b', 'Boost the post'],
  ['n', 'Write a new post'],
  ['/', 'Search'],
  ['g then h', 'Go to Home'],
  ['g then n', 'Go to Notifications'],
  ['g then m', 'Go to Messages'],
  ['g then c', 'Go to Channels'],
  ['g then u', 'Go to your profile'],
  ['Escape', 'Leave a text field, close this list'],
  ['?', 'Show this list'],
];

const GO = { h: '#/home', n: '#/notifications', m: '#/messages', c: '#/channels', u: '#/profile' };
const CHORD_MS = 1500; // how long "g" waits for its second key

/** Is the key meant for what has the focus (a field, a list box), not for us? */
function typing(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('textarea, select, [role="listbox"], [role="combobox"]')) return true;
  const input = target.closest('input');
  return Boolean(input) && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(input.type);
}

/** The posts of the current screen, in reading order (a quoted post's inner one excluded). */
function posts() {
  return [...document.querySelectorAll('#view article.status')].filter((a) => !a.parentElement.closest('article.status'));
}

/** The post holding the focus, if any. */
function current() {
  return document.activeElement?.closest?.('#view article.status') ?? null;
}

function focusPost(art) {
  if (!art) return;
  if (!art.hasAttribute('tabindex')) art.tabIndex = -1; // focusable by script, not by Tab
  art.focus({ preventScroll: true });
  art.scrollIntoView({ block: 'nearest' });
}

function move(step) {
  const list = posts();
  if (!list.length) return;
  const at = list.indexOf(current());
  const next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
  focusPost(list[next]);
}

/** Clicks the action button `act` (actions.js's data-act) of the current post. */
function act(name) {
  const art = current();
  if (!art) return false;
  const button = [...art.querySelectorAll(`button[data-act="${name}"]`)].find((b) => b.closest('article.status') === art);
  if (!button) return false;
  button.click();
  return true;
}

/** The screen the address names (router.js's view name). */
const route = () => location.hash.replace(/^#\/?/, '').split('/')[0] || 'home';

/** The element matching selector on the screen the address names, once drawn; or null. */
function onScreen(selector) {
  const view = document.getElementById('view');
  return view?.dataset.view === route() ? view.querySelector(selector) : null;
}

/** Focuses selector on the current screen, going to `fallback` first if it has none. The
 *  screen may still be loading (on a slow network, for seconds): waits until router.js has
 *  drawn the one wanted, and gives up as soon as the person does something else meanwhile
 *  (a key, a click, another screen), so that focus never jumps under them later. */
function reach(selector, fallback, navigate) {
  const view = document.getElementById('view');
  let after = -1; // when we navigate: a screen drawn after now, not the one on its way out
  const target = onScreen(selector) ? route() : fallback.slice(2);
  if (!onScreen(selector) && route() !== target) {
    after = Number(view.dataset.shown ?? 0);
    navigate(fallback);
  }
  let movedOn = false;
  const stop = () => { movedOn = true; };
  // registered after this key's own handling is over, so that only later input counts
  setTimeout(() => {
    if (movedOn) return;
    addEventListener('keydown', stop, { capture: true, once: true });
    addEventListener('pointerdown', stop, { capture: true, once: true });
  });
  const done = () => {
    movedOn = true;
    removeEventListener('keydown', stop, { capture: true });
    removeEventListener('pointerdown', stop, { capture: true });
  };
  const tick = () => {
    if (movedOn || route() !== target) return done();
    const el = Number(view.dataset.shown ?? 0) > after ? onScreen(selector) : null;
    if (!el) return void requestAnimationFrame(tick);
    done();
    if (el.matches('.compose-opener')) el.click();
    else el.focus();
  };
  tick();
}

let help = null;
function showHelp() {
  if (!help) {
    help = h('dialog', { class: 'shortcuts card', 'aria-labelledby': 'shortcuts-title' },
      h('h2', { id: 'shortcuts-title' }, 'Keyboard shortcuts'),
      h('dl', {}, SHORTCUTS.flatMap(([keys, what]) => [
        h('dt', {}, keys.split(' ').map((k) => (['then', 'or'].includes(k) ? ` ${k} ` : h('kbd', {}, k)))),
        h('dd', {}, what)])),
      h('form', { method: 'dialog' }, h('button', { type: 'submit' }, 'Close')));
    document.body.append(help);
  }
  if (!help.open) help.showModal();
}

export function startShortcuts(navigate) {
  let chordUntil = 0;
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (typing(e.target)) {
      if (e.key === 'Escape' && !e.target.closest('dialog')) e.target.blur?.();
      return;
    }
    if (help?.open || !session.isSignedIn()) return;
    const chord = Date.now() < chordUntil;
    chordUntil = 0;
    if (chord && GO[e.key]) {
      e.preventDefault();
      navigate(GO[e.key]);
      return;
    }
    const onPost = current();
    const handled = {
      j: () => move(1),
      k: () => move(-1),
      o: () => onPost?.querySelector('a.time')?.click(),
      Enter: () => {
        if (document.activeElement !== onPost) return false; // Enter on a link or button is theirs
        onPost.querySelector('a.time')?.click();
        return true;
      },
      r: () => act('reply'),
      f: () => act('favourite'),
      b: () => act('reblog'),
      // home's composer opens from its "Share something…" (opener.js); a channel's is open
      n: () => reach('.compose textarea, .compose-opener:not([hidden])', '#/home', navigate),
      '/': () => reach('input[type="search"]', '#/search', navigate),
      '?': showHelp,
      g: () => { chordUntil = Date.now() + CHORD_MS; },
    }[e.key];
    if (!handled) return;
    if (handled() === false) return;
    e.preventDefault();
  });
}
