// admin/audit.js — the administration area's audit log (views/admin.js): GET
// /api/v1/partyline/admin/audit with action, person, from and until, newest first, actors and
// the accounts a row names shown by name. Administrators only (the server says so too).

import { api } from '../api.js';
import { h } from '../dom.js';
import { pagedList } from '../paged.js';
import { accountLink } from './common.js';

const ACTIONS = ['auth.sign_in', 'auth.sign_in_failed', 'token.issue', 'token.revoke', 'session.sign_out',
  'account.create', 'account.update', 'account.password_change', 'account.cleanup_policy',
  'post.create', 'post.edit', 'post.delete', 'media.attach',
  'channel.create', 'channel.join', 'channel.leave', 'channel.request', 'channel.request_accept',
  'channel.request_reject', 'channel.update', 'channel.role', 'channel.remove_member', 'channel.pin',
  'channel.unpin', 'channel.remove_post', 'follow.request', 'follow.create', 'follow.delete',
  'follow.request_accept', 'follow.request_reject', 'list.add_member', 'list.remove_member',
  'admin.approve', 'admin.reject', 'admin.disable', 'admin.enable', 'admin.set_password', 'admin.set_role',
  'admin.warn', 'admin.silence', 'admin.unsilence', 'admin.suspend', 'admin.unsuspend', 'admin.offboard', 'admin.offboard_wipe',
  'admin.announce', 'admin.announcement_delete',
  'report.create', 'report.view', 'report.update', 'report.assign', 'report.unassign', 'report.resolve',
  'report.reopen', 'retention.policy_set', 'retention.policy_remove', 'retention.run', 'hold.set',
  'hold.release', 'archive.request', 'archive.ready', 'archive.download', 'export.create', 'export.ready',
  'export.download', 'audit.export', 'audit.prune', 'influence.topic_set', 'influence.topic_remove',
  'feed.add', 'feed.remove'];

// the detail's members that name an account (a channel is an account too)
const ACCOUNT_KEYS = new Set(['account_id', 'author_id', 'channel_id']);


const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function auditRow(r) {
  const detail = typeof r.detail === 'object' && r.detail
    ? Object.entries(r.detail).map(([k, v]) => h('span', { class: 'audit-detail' },
      h('span', { class: 'muted' }, `${k} `),
      ACCOUNT_KEYS.has(k) ? accountLink(String(v)) : String(v)))
    : [h('span', { class: 'error' }, `unreadable detail: ${String(r.detail)}`)];
  const target = r.target_kind
    ? [r.target_kind, ' ', r.target_kind === 'account' && r.target_id ? accountLink(r.target_id) : r.target_id ?? '']
    : [];
  return h('li', { class: 'card audit-row' },
    h('p', { class: 'audit-head' },
      h('strong', {}, r.action), ' · ',
      h('time', { datetime: r.created_at }, when.format(new Date(r.created_at))), ' · ',
      r.actor_id ? accountLink(r.actor_id) : h('span', { class: 'muted' }, 'no signed-in person')),
    h('p', { class: 'audit-what' },
      target.length ? h('span', {}, 'on ', ...target) : null,
      r.audience ? h('span', {}, ` · audience ${r.audience}`) : null,
      r.ip ? h('span', { class: 'muted' }, ` · from ${r.ip}`) : null),
    detail.length ? h('p', { class: 'audit-details' }, detail) : null,
    h('p', { class: 'audit-seq muted' }, `#${r.seq ?? '?'} · ${String(r.hash ?? '').slice(0, 12)}`));
}

export function auditLog() {
  const action = h('input', { id: 'audit-action', name: 'action', list: 'audit-actions', autocomplete: 'off', maxlength: 64 });
  const person = h('input', { id: 'audit-person', name: 'person', autocomplete: 'off', placeholder: 'username' });
  const since = h('input', { id: 'audit-since', name: 'since', type: 'date' });
  const until = h('input', { id: 'audit-until', name: 'until', type: 'date' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const results = h('div', {});
  const field = (input, label) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  const form = h('form', { class: 'card admin-filters', 'aria-label': 'Filter the audit log' },
    h('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => h('option', { value: a }))),
    field(action, 'Action'), field(person, 'Person'), field(since, 'From'), field(until, 'Until (not included)'),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));

  async function show() {
    error.hidden = true;
    const params = {};
    if (action.value.trim()) params.action = action.value.trim();
    if (since.value) params.since = since.value;
    if (until.value) params.until = until.value;
    if (person.value.trim()) {
      try {
        const { data } = await api(`/api/v1/accounts/lookup?acct=${encodeURIComponent(person.value.trim().replace(/^@/, ''))}`);
        params.actor = data.id;
      } catch (e) {
        error.textContent = e.status === 404 ? `Nobody is called ${person.value.trim()}.` : `Could not look the person up: ${e.message}`;
        error.hidden = false;
        return;
      }
    }
    const list = h('ul', { class: 'audit', 'aria-label': 'Audit log' });
    const p = pagedList({
      list, path: '/api/v1/partyline/admin/audit', params, row: auditRow, what: 'the audit log',
      empty: 'Nothing was recorded that matches.', moreLabel: 'Older', apiOpts: { admin: true },
    });
    results.replaceChildren(list, p.state, p.moreRow);
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); show(); });
  show();
  return h('section', { 'aria-label': 'Audit log' },
    h('p', {}, 'Every act that changes who can see or do what, newest first. Rows never hold what a post or file says.'),
    form, results);
}
