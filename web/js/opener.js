// opener.js — the home feed's one-line "Share something…" (one's avatar beside it) in place
// of an open composer, so that on a phone the first screen is the feed. Activating it opens
// the composer (compose.js, whose draft drafts.js keeps under 'home'):
//   - on a phone (below 1024 px), full screen: a modal <dialog> covering the viewport, with a
//     Close button; the page behind is inert, so focus stays inside; Escape, Close or Cancel
//     close it, and what was typed stays (in the form, and as the draft);
//   - on the desk (≥ 1024 px), inline in the opener's place; Escape or Cancel fold it back.
// A post sent closes it and onPosted(status) puts the post at the top of the feed.
//
//   const o = composeOpener({ onPosted });  root.append(o.el);  … o.destroy()
//
// The form is made once, on first opening, and kept while the screen lives: reopening shows
// it as it was left.

import { avatarImg } from './avatar.js';
import { composeForm } from './compose.js';
import { h } from './dom.js';
import { loadDraft } from './drafts.js';
import { icon } from './icons.js';
import { me } from './me.js';

const DESK = '(min-width: 1024px)';
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function composeOpener({ onPosted = () => {} } = {}) {
  const picture = h('span', { class: 'opener-picture' });
  me().then((a) => {
    const img = avatarImg(a, 40);
    if (img) picture.replaceChildren(img);
  }, () => {});
  // "Draft" says that what was written and closed is waiting there (drafts.js keeps it)
  const draftTag = h('span', { class: 'tag opener-draft', hidden: !loadDraft('home') }, 'Draft');
  const button = h('button', { type: 'button', class: 'compose-opener' },
    picture, h('span', { class: 'opener-prompt' }, 'Share something…'), draftTag);
  const el = h('div', { class: 'compose-slot' }, button);
  let form = null;
  let dialog = null;
  let inline = false;
  // it opens a dialog only below the desk's width: say so only there
  const desk = window.matchMedia(DESK);
  const sayPopup = () => {
    if (desk.matches) button.removeAttribute('aria-haspopup');
    else button.setAttribute('aria-haspopup', 'dialog');
  };
  sayPopup();
  desk.addEventListener('change', sayPopup);

  // what closing leaves: the opener, saying whether a draft waits, with focus
  function closed() {
    draftTag.hidden = !form?.querySelector('textarea')?.value.trim();
    button.focus();
  }

  function close() {
    if (dialog?.open) {
      dialog.close(); // its close event calls closed()
      return;
    }
    if (inline) {
      inline = false;
      form.remove();
      button.hidden = false;
      closed();
    }
  }

  function makeForm() {
    form = composeForm({
      label: 'New post',
      onCancel: () => close(),
      onPosted: (s) => {
        close();
        onPosted(s);
      },
    });
  }

  function makeDialog() {
    const closeButton = h('button', { type: 'button', class: 'quiet compose-close', onclick: () => close() },
      icon('close'), h('span', { class: 'label' }, 'Close'));
    dialog = h('dialog', { class: 'compose-dialog', 'aria-labelledby': 'compose-dialog-title' },
      h('div', { class: 'compose-dialog-bar' },
        h('h2', { id: 'compose-dialog-title' }, 'New post'), closeButton));
    // however it closes (Close, Cancel, posted, or Escape — the dialog's own cancel, which the
    // browser may carry out whatever a page says), the form stays as it was
    dialog.addEventListener('close', closed);
    // a modal dialog makes the page behind inert, but Tab past its last control would leave
    // for the browser's own bar: it wraps around instead
    dialog.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab' || e.defaultPrevented) return;
      const all = [...dialog.querySelectorAll(FOCUSABLE)].filter((x) => x.offsetParent !== null || x === document.activeElement);
      if (!all.length) return;
      const first = all[0];
      const last = all[all.length - 1];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    });
    el.append(dialog);
  }

  function open() {
    if (!form) makeForm();
    const text = form.querySelector('textarea');
    if (desk.matches) {
      button.hidden = true;
      inline = true;
      button.after(form);
    } else {
      if (!dialog) makeDialog();
      dialog.append(form);
      dialog.showModal();
    }
    text.focus();
    text.setSelectionRange(text.value.length, text.value.length);
  }

  button.addEventListener('click', open);
  return {
    el,
    open,
    destroy() {
      desk.removeEventListener('change', sayPopup);
      if (dialog?.open) dialog.close();
    },
  };
}
