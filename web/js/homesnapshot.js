// homesnapshot.js — a copy of the home feed's first cards, kept on this device so that a
// returning visitor sees posts at once (stale-while-revalidate): the page's inline script
// (boot/home-snapshot.js) draws the copy before the code arrives, inert and labelled "Posts
// from your last visit"; the home feed takes it over (takeHomeSnapshot) and replaces it with
// the fresh first page as soon as that is drawn; then a new copy is saved.
//
//   saveHomeSnapshot(list)   // after the feed's first page, and when the page is hidden
//   takeHomeSnapshot()       // the drawn copy, detached, or null: for timeline's placeholder
//   forgetHomeSnapshot()     // deletes the copy (signing out does)
//
// Privacy, as drafts.js: the copy carries the fingerprint of the token that saved it (never
// the token), so it is one account's; the boot script shows it only to that same token and
// deletes it otherwise, and it is deleted whenever the token changes (sign out, expiry,
// another person signing in on this browser). It holds what the feed had drawn (markup made
// by statusCard from the server's sanitized HTML), never more than MAX_CARDS cards.

import { session } from './session.js';

const KEY = 'partyline.homeSnapshot';
const MAX_CARDS = 10; // a phone's first screen shows three or four
export const MAX_AGE_MS = 7 * 24 * 3600 * 1000; // boot/home-snapshot.js has the same limit

/** A card's markup without style attributes, which the CSP (style-src 'self') would refuse. */
function markupOf(li) {
  const copy = li.cloneNode(true);
  copy.removeAttribute('style');
  for (const el of copy.querySelectorAll('[style]')) el.removeAttribute('style');
  return copy.outerHTML;
}

/** Saves the first cards of the fresh home feed `list` (an <ol>) for the next visit. */
export function saveHomeSnapshot(list) {
  const owner = session.fingerprint();
  if (!owner || !list || list.dataset.snapshot !== undefined) return;
  const cards = [...list.children].slice(0, MAX_CARDS);
  if (!cards.length) {
    forgetHomeSnapshot();
    return;
  }
  try {
    localStorage.setItem(KEY, JSON.stringify({
      owner, at: Date.now(), html: cards.map(markupOf).join(''),
    }));
  } catch { /* storage full or refused: no copy, the next visit just waits */ }
}

// The copy the boot script drew, found when the bundle runs: the router empties #view just
// before the home view draws (in the same task, so nothing is painted in between), and
// the home view puts it back as the feed's placeholder.
let drawn = document.querySelector('#view > .home-snapshot');

/** The copy the boot script drew, once (then null), taken out of the page. */
export function takeHomeSnapshot() {
  const box = drawn;
  drawn = null;
  box?.remove();
  return box;
}

/** Deletes the saved copy and takes a drawn one off the page. */
export function forgetHomeSnapshot() {
  localStorage.removeItem(KEY);
  takeHomeSnapshot();
  document.querySelector('.home-snapshot')?.remove();
}

/** A copy of another token is never kept: sign-out, expiry or another sign-in delete it. */
let seenOwner = session.fingerprint();
function onTokenChange() {
  const now = session.fingerprint();
  if (now !== seenOwner) forgetHomeSnapshot();
  seenOwner = now;
}
session.onChange(onTokenChange);
addEventListener('storage', (e) => {
  if (e.key === null || e.key === 'partyline.token') onTokenChange();
});
