// viewer.js — a post's pictures at full size in a modal <dialog>: one at a time with its alt
// text under it, "n of N", Previous/Next buttons, the arrow keys, a swipe on touch screens,
// Escape or Close to leave. Focus goes to the dialog's Close button and comes back to the
// element that opened it (the picture's button in the post).
//
//   openViewer(attachments, index, opener);
//
// One dialog per page, made on first use and reused; the picture is the attachment's `url`
// (the original, already made for this viewer), over its preview while it loads.

import { h } from './dom.js';

let dialog = null;
let state = { items: [], index: 0, opener: null };
const parts = {};

function show(index) {
  const { items } = state;
  const n = items.length;
  state.index = (index + n) % n;
  const m = items[state.index];
  parts.img.classList.remove('loaded');
  // the preview (already in the cache) first, the original over it once loaded
  parts.img.src = m.preview_url || m.url;
  parts.img.alt = m.description ?? '';
  const full = new Image();
  full.addEventListener('load', () => {
    if (items[state.index] !== m) return;
    parts.img.src = m.url;
    parts.img.classList.add('loaded');
  });
  full.src = m.url;
  parts.caption.textContent = m.description || 'No description was given for this picture.';
  parts.caption.classList.toggle('missing', !m.description);
  parts.count.textContent = n > 1 ? `${state.index + 1} of ${n}` : '';
  parts.prev.hidden = parts.next.hidden = n < 2;
  dialog.setAttribute('aria-label', n > 1 ? `Picture ${state.index + 1} of ${n}` : 'Picture');
}

function build() {
  parts.img = h('img', { class: 'viewer-img', alt: '' });
  parts.caption = h('p', { class: 'viewer-caption' });
  parts.count = h('span', { class: 'viewer-count', 'aria-live': 'polite' });
  parts.prev = h('button', { type: 'button', class: 'viewer-prev', 'aria-label': 'Previous picture' }, '‹');
  parts.next = h('button', { type: 'button', class: 'viewer-next', 'aria-label': 'Next picture' }, '›');
  parts.close = h('button', { type: 'button', class: 'viewer-close', 'aria-label': 'Close' }, '✕');
  dialog = h('dialog', { class: 'viewer', 'aria-label': 'Picture' },
    h('div', { class: 'viewer-bar' }, parts.count, parts.close),
    h('figure', { class: 'viewer-stage' }, parts.img, h('figcaption', {}, parts.caption)),
    parts.prev, parts.next);
  parts.prev.addEventListener('click', () => show(state.index - 1));
  parts.next.addEventListener('click', () => show(state.index + 1));
  parts.close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft') { e.preventDefault(); show(state.index - 1); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); show(state.index + 1); }
  });
  // a click on the backdrop (the dialog itself, outside its content) closes it
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
  // a horizontal swipe moves; a mostly vertical one is left to scrolling
  let start = null;
  dialog.addEventListener('touchstart', (e) => {
    start = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY } : null;
  }, { passive: true });
  dialog.addEventListener('touchend', (e) => {
    const t = e.changedTouches[0];
    if (!start || !t || state.items.length < 2) return;
    const dx = t.clientX - start.x;
    const dy = t.clientY - start.y;
    start = null;
    if (Math.abs(dx) > 40 && Math.abs(dx) > 1.5 * Math.abs(dy)) show(state.index + (dx < 0 ? 1 : -1));
  });
  dialog.addEventListener('close', () => {
    parts.img.removeAttribute('src');
    const back = state.opener;
    state = { items: [], index: 0, opener: null };
    if (back?.isConnected) back.focus();
  });
  document.body.append(dialog);
}

/** Opens the viewer on items[index]; focus returns to opener when it closes. */
export function openViewer(items, index, opener) {
  if (!items.length) return;
  if (!dialog || !dialog.isConnected) build();
  state = { items, index, opener: opener ?? document.activeElement };
  show(index);
  if (!dialog.open) dialog.showModal();
  parts.close.focus();
}
