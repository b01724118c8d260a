// drafts.js — what one was writing survives changing screens, a reload or an outage: each
// place a composer opens keeps its draft in localStorage until it is posted or discarded.
//
//   const d = draftKeeper('reply:123', { collect, apply, onDiscard });
//   d.restore()   // puts the saved draft back through apply(data); true if there was one
//   d.el          // "Draft saved" and a "Discard draft" button, for the form
//   d.posted()    // the post went out: the draft is gone
//
// Places (one draft each): 'home' (the home composer, with its audience), 'reply:<status
// id>' (wherever that post's reply form opens), 'channel:<id>', 'conversation:<id>' (a
// direct-message reply box), 'message:new' and 'message:to:<account ids>' ("New message").
// collect() answers the form's content as plain JSON, or null when there is nothing worth
// keeping (then the draft is deleted). Files are not kept: an upload is not a draft's to
// hold (it may have been attached elsewhere or pruned), so the hint says "text only".
//
// Saved as typed (debounced), and at once when the page is hidden or left (pagehide), the
// moment a mobile browser may end it without another word.
//
// Privacy: a draft belongs to the signed-in token that wrote it (a fingerprint of it is
// stored with the draft, never the token): another person who signs in on this browser
// sees none, and every draft is deleted when the token changes (sign out, expiry, another
// sign-in). A draft that cannot be read, or is another's, is deleted, never shown.

import { h } from './dom.js';
import { session } from './session.js';

const PREFIX = 'partyline.draft:';
const SAVE_AFTER_MS = 400;

/** Whose drafts these are: the token's fingerprint. */
const owner = () => session.fingerprint();

function keys() {
  const out = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith(PREFIX)) out.push(k);
  }
  return out;
}

/** Deletes every draft not written by the current token (all of them when signed out). */
export function forgetOthersDrafts() {
  const mine = owner();
  for (const k of keys()) {
    let d = null;
    try { d = JSON.parse(localStorage.getItem(k)); } catch { /* unreadable: deleted below */ }
    if (!mine || d?.owner !== mine) localStorage.removeItem(k);
  }
}

session.onChange(forgetOthersDrafts);
window.addEventListener('storage', (e) => {
  if (e.key === null || e.key === 'partyline.token') forgetOthersDrafts();
});

export function loadDraft(place) {
  const mine = owner();
  const k = PREFIX + place;
  try {
    const d = JSON.parse(localStorage.getItem(k) ?? 'null');
    if (d && mine && d.owner === mine && d.data && typeof d.data === 'object') return d.data;
  } catch { /* fall through: fail closed */ }
  localStorage.removeItem(k);
  return null;
}

export function saveDraft(place, data) {
  const mine = owner();
  if (!mine || !data) { localStorage.removeItem(PREFIX + place); return false; }
  try {
    localStorage.setItem(PREFIX + place, JSON.stringify({ owner: mine, at: Date.now(), data }));
    return true;
  } catch {
    return false; // storage full or refused: the form still holds the text
  }
}

export function removeDraft(place) {
  localStorage.removeItem(PREFIX + place);
}

// saves waiting for their debounce, flushed together when the page goes away
const pending = new Map(); // place → save function
function flushAll() {
  for (const save of [...pending.values()]) save();
}
window.addEventListener('pagehide', flushAll);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushAll();
});

/**
 * Keeps the draft of one place for a form. collect() → plain data or null (nothing to
 * keep); apply(data) fills the form; onDiscard() empties it. Saves on every input, change
 * or click inside the form given to watch().
 */
export function draftKeeper(place, { collect, apply, onDiscard = () => {} }) {
  // a form of the same place before this one (an inline reply closed a moment ago, then the
  // post's page) may still have a save waiting: it is done now, so that this form starts
  // from it and no late save of the old form puts back a draft this one posted or discarded
  pending.get(place)?.();
  const saved = h('span', { class: 'hint', role: 'status' });
  const discard = h('button', { type: 'button', class: 'quiet' }, 'Discard draft');
  const el = h('div', { class: 'draft', hidden: true }, saved, discard);
  let timer = null;
  const show = (has, note = 'Draft saved') => {
    el.hidden = !has;
    saved.textContent = has ? note : '';
  };
  const save = () => {
    clearTimeout(timer);
    pending.delete(place);
    const data = collect();
    if (!data) { removeDraft(place); show(false); return; }
    if (saveDraft(place, data)) show(true, data.withoutFiles ? 'Draft saved (text only: files are not kept)' : 'Draft saved');
    else show(true, 'Draft not saved: this browser’s storage refused it');
  };
  const schedule = () => {
    clearTimeout(timer);
    pending.set(place, save);
    timer = setTimeout(save, SAVE_AFTER_MS);
  };
  const cancel = () => {
    clearTimeout(timer);
    pending.delete(place);
  };
  discard.addEventListener('click', (e) => {
    e.stopPropagation(); // not a change to save
    cancel();
    removeDraft(place);
    show(false);
    onDiscard();
  });
  return {
    el,
    restore() {
      const data = loadDraft(place);
      if (!data) return false;
      apply(data);
      show(true, 'Draft restored');
      return true;
    },
    watch(form) {
      for (const type of ['input', 'change', 'click']) form.addEventListener(type, schedule);
    },
    schedule,
    posted() {
      cancel();
      removeDraft(place);
      show(false);
    },
  };
}
