// pins.js — "Pin to profile" / "Unpin from profile" on one's own posts, shown by the
// profile view (status.js draws the post; this adds the control beside it). Only posts the
// server lets one pin get the button: one's own, not a boost, not direct (README, "The
// curated profile").

import { api } from './api.js';
import { h } from './dom.js';

const PINNABLE = new Set(['public', 'unlisted', 'private']);

/**
 * A pin toggle for status s, or null if it cannot be pinned. onChange(pinned) runs after
 * the server agreed. The button also listens for a 'pinstate' event (detail: boolean)
 * so another copy of the same post can keep it in step.
 */
export function pinControl(s, { onChange = () => {} } = {}) {
  if (s.reblog || !PINNABLE.has(s.visibility) || s.pinned === undefined) return null;
  let pinned = !!s.pinned;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const b = h('button', { type: 'button', class: 'quiet pin', 'data-id': s.id });
  const draw = () => {
    b.textContent = pinned ? 'Unpin from profile' : 'Pin to profile';
  };
  draw();
  b.addEventListener('pinstate', (e) => { pinned = e.detail; draw(); });
  b.addEventListener('click', async () => {
    b.disabled = true;
    error.hidden = true;
    try {
      const { data } = await api(`/api/v1/statuses/${encodeURIComponent(s.id)}/${pinned ? 'unpin' : 'pin'}`, { method: 'POST' });
      pinned = !!data.pinned;
      draw();
      onChange(pinned);
    } catch (err) {
      error.textContent = `${pinned ? 'Unpinning' : 'Pinning'} did not work: ${err.message}`;
      error.hidden = false;
    } finally {
      b.disabled = false;
    }
  });
  return h('div', { class: 'pin-row' }, b, error);
}
