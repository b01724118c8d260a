// admin/common.js — what the administration area's sections share: an account named by its
// Admin::Account, a button that runs one admin request (with the inline confirmation when it
// is heavy), and the states of an account as tags.

import { api } from '../api.js';
import { confirmInline } from '../confirm.js';
import { h, toast } from '../dom.js';

/** A link to the person's profile, "@acct" (an Admin::Account or an Account). */
export function who(adminOrAccount) {
  const a = adminOrAccount?.account ?? adminOrAccount;
  if (!a) return h('span', { class: 'muted' }, 'nobody');
  return h('a', { href: `#/profile/${encodeURIComponent(a.id)}` }, `@${a.acct ?? a.username}`);
}

/** The states an Admin::Account is in, as tags (none for an active account). */
export function stateTags(x) {
  const tags = [];
  if (!x.approved) tags.push(['Waiting for approval', 'requested']);
  if (x.disabled) tags.push(['Sign-in disabled', 'private']);
  if (x.silenced) tags.push(['Limited', 'private']);
  if (x.suspended) tags.push(['Suspended', 'private']);
  const role = x.role?.name;
  if (role) tags.push([role, 'public']);
  return tags.map(([text, cls]) => h('span', { class: `tag ${cls}` }, text));
}

/**
 * A button that POSTs to path with the area's token (json as its body) and then calls
 * done(answer); with confirm ({question, detail, yes}), after the inline question. Errors are
 * said in errorEl.
 */
export function adminButton(label, path, { json, confirm, done, errorEl, cls = 'quiet' } = {}) {
  const b = h('button', { type: 'button', class: cls }, label);
  const run = async () => {
    b.disabled = true;
    try {
      const { data } = await api(path, { method: 'POST', json: json ?? {}, admin: true });
      await done?.(data);
    } finally {
      b.disabled = false;
    }
  };
  b.addEventListener('click', () => {
    if (confirm) {
      // the question says a failure under itself, and stays for another try
      confirmInline(b, { no: 'Cancel', fail: `${label} did not work`, ...confirm, onYes: run });
      return;
    }
    if (errorEl) errorEl.hidden = true;
    run().catch((e) => {
      if (!errorEl) { toast(`${label} did not work: ${e.message}`, 6000); return; }
      errorEl.textContent = `${label} did not work: ${e.message}`;
      errorEl.hidden = false;
    });
  });
  return b;
}

export const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
