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
 * A button that POSTs (or method) to path with the area's token (json as its body) and then
 * calls done(answer); with confirm ({question, detail, yes}), after the inline question.
 * Errors are said in errorEl.
 */
export function adminButton(label, path, { json, confirm, done, errorEl, cls = 'quiet', method = 'POST' } = {}) {
  const b = h('button', { type: 'button', class: cls }, label);
  const run = async () => {
    b.disabled = true;
    try {
      const { data } = await api(path, { method, json: json ?? {}, admin: true });
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

/** A size in bytes as people read it. */
export function sizeText(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const names = new Map(); // account id → a promise of its Account (null when unknown)
/** The Account of id (a person or a channel: a channel is an account too), asked once. */
export function accountOf(id) {
  if (!names.has(id)) {
    names.set(id, api(`/api/v1/accounts/${encodeURIComponent(id)}`).then(({ data }) => data, () => null));
  }
  return names.get(id);
}

/** A link that shows '@acct' (or '#name' for a channel) of id once known. */
export function accountLink(id, { channel = false } = {}) {
  const a = h('a', { href: channel ? `#/channel/${encodeURIComponent(id)}` : `#/profile/${encodeURIComponent(id)}` },
    `${channel ? 'channel' : 'account'} ${id}`);
  accountOf(id).then((x) => { if (x) a.textContent = channel ? `#${x.acct}` : `@${x.acct}`; });
  return a;
}

/**
 * The account (or, with channel, the channel) called name, asked with the everyday token;
 * throws an Error that says plainly when there is none.
 */
export async function findByName(name, { channel = false } = {}) {
  const n = name.trim().replace(/^[@#]/, '');
  const what = channel ? 'channel' : 'person';
  if (!n) throw new Error(`Name the ${what}.`);
  let data;
  try {
    ({ data } = await api(`/api/v1/accounts/lookup?acct=${encodeURIComponent(n)}`));
  } catch (e) {
    throw new Error(e.status === 404 ? `There is no ${what} called ${n}.` : `Could not look ${n} up: ${e.message}`);
  }
  if (Boolean(data.group) !== channel) throw new Error(`${n} is not a ${what}.`);
  return data;
}
