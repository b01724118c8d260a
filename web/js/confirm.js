// confirm.js — the one "are you sure?" of the client, asked inline where the person clicked,
// instead of window.confirm(): a modal browser dialog cannot be styled, is announced out of
// context, blocks the page (and tests), and some browsers let people silence it for good.
//
//   confirmInline(button, {
//     question: 'Remove this post from the channel?',
//     yes: 'Remove',                       // the words of the button that does it
//     fail: 'The post was not removed',    // said before the error's own message
//     onYes: async () => { await api(…) }, // throw to keep the question up with the error
//   });
//
// The question replaces the button in place (the button is hidden, not removed, so the
// layout around it stays), focus goes to Cancel — the safe default, so a stray Enter keeps
// things as they are — Escape or Cancel put it back and return focus to the button. While
// onYes runs both buttons are disabled; if it throws, its message shows under the question,
// which stays, so the person can retry or cancel. After success the caller decides what
// the page shows (the row is usually gone); if the button is still in the page, it returns.

import { h } from './dom.js';

let seq = 0;

/** Asks `question` in place of `anchor`. Returns a function that cancels the question. */
export function confirmInline(anchor, {
  question, yes, no = 'Cancel', detail = '', fail = 'That did not work', onYes,
}) {
  // one question per button: a second click while it is open would stack another
  if (anchor.confirming) return anchor.confirming;
  const id = `confirm-${++seq}`;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const yesButton = h('button', { type: 'button', class: 'danger' }, yes);
  const noButton = h('button', { type: 'button', class: 'quiet' }, no);
  const box = h('div', { class: 'confirm confirm-inline', role: 'group', 'aria-labelledby': id },
    h('p', { id }, question, detail ? h('span', { class: 'muted' }, ` ${detail}`) : null),
    h('div', { class: 'row' }, yesButton, noButton), error);

  function close() {
    box.remove();
    anchor.hidden = false;
    anchor.confirming = null;
    if (anchor.isConnected) anchor.focus();
  }
  noButton.addEventListener('click', close);
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !yesButton.disabled) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  yesButton.addEventListener('click', async () => {
    yesButton.disabled = true;
    noButton.disabled = true;
    error.hidden = true;
    try {
      await onYes();
      box.remove();
      anchor.hidden = false;
      anchor.confirming = null;
    } catch (e) {
      error.textContent = `${fail}: ${e?.message ?? 'unknown error'} Try again, or cancel.`;
      error.hidden = false;
      yesButton.disabled = false;
      noButton.disabled = false;
      noButton.focus();
    }
  });

  anchor.after(box);
  anchor.hidden = true;
  anchor.confirming = close;
  noButton.focus();
  return close;
}
