// admin/reports.js — the reports queue of the administration area (views/admin.js), over
// Mastodon's admin API: GET /api/v1/admin/reports (open or resolved), each report with who
// reported whom, why, and the posts it names — shown whatever their audience, since a
// moderator must read what was reported; the server records each such showing in the audit
// log (report.view) and shows no other post of the author's. Take a report, give it back,
// resolve or reopen it, or act on the reported account (limit, disable sign-in, suspend),
// which resolves the report with it.

import { api } from '../api.js';
import { h, serverHtml } from '../dom.js';
import { pagedList } from '../paged.js';
import { adminButton, stateTags, when, who } from './common.js';

const CATEGORY = { spam: 'Spam', legal: 'Illegal', violation: 'Breaks a rule', other: 'Other' };

export function reports({ me, args }) {
  const resolved = args[0] === 'resolved';
  const list = h('ul', { class: 'admin-list', 'aria-label': resolved ? 'Resolved reports' : 'Open reports' });
  const p = pagedList({
    list, path: '/api/v1/admin/reports', params: { resolved }, what: 'the reports', apiOpts: { admin: true },
    row: (r) => reportRow(r, me),
    empty: resolved ? 'No report has been resolved yet.' : 'Nothing to look at: no report is open.',
  });
  return h('section', { 'aria-label': 'Reports' },
    h('nav', { class: 'switch', 'aria-label': 'Which reports' },
      h('a', { href: '#/admin/reports', 'aria-current': resolved ? null : 'page' }, 'Open'),
      h('a', { href: '#/admin/reports/resolved', 'aria-current': resolved ? 'page' : null }, 'Resolved')),
    list, p.state, p.moreRow);
}

function reportedPost(st) {
  const audience = st.partyline?.audience ?? st.visibility;
  return h('li', { class: 'reported-post' },
    h('p', { class: 'muted' }, who(st.account), ' · ', h('span', { class: 'tag' }, audience), ' · ',
      h('time', { datetime: st.created_at }, when(st.created_at))),
    st.spoiler_text ? h('p', {}, h('strong', {}, 'Content warning: '), st.spoiler_text) : null,
    serverHtml('div', { class: 'content' }, st.content),
    st.media_attachments?.length ? h('p', { class: 'muted' }, `${st.media_attachments.length} file(s) attached`) : null);
}

function reportRow(r, me) {
  const li = h('li', { class: 'card admin-report', 'data-id': r.id });
  draw(li, r, me);
  return li;
}

/** Draws report r into li (again after each act, from the server's answer). */
function draw(li, r, me) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const path = (what) => `/api/v1/admin/reports/${encodeURIComponent(r.id)}/${what}`;
  const again = async () => {
    const { data } = await api(`/api/v1/admin/reports/${encodeURIComponent(r.id)}`, { admin: true });
    draw(li, data, me);
    li.querySelector('button, a')?.focus();
  };
  const target = r.target_account;
  const buttons = [];
  if (!r.action_taken) {
    const mine = r.assigned_account?.id === me.id;
    buttons.push(mine
      ? adminButton('Give it back', path('unassign'), { done: again, errorEl: error })
      : adminButton('Take it', path('assign_to_self'), { done: again, errorEl: error }));
    buttons.push(adminButton('Resolve', path('resolve'), { done: again, errorEl: error, cls: '' }));
    const act = (label, type, question, detail) => adminButton(label,
      `/api/v1/admin/accounts/${encodeURIComponent(target.id)}/action`,
      { json: { type, report_id: r.id }, done: again, confirm: { question, detail, yes: label } });
    if (!target.silenced && !target.suspended) {
      buttons.push(act('Limit', 'silence', `Limit @${target.username}?`,
        'Their posts reach only their followers, and the report is resolved.'));
    }
    if (!target.disabled) {
      buttons.push(act('Disable sign-in', 'disable', `Disable @${target.username}’s sign-in?`,
        'They are signed out everywhere and cannot sign in; their posts stay. The report is resolved.'));
    }
    if (!target.suspended) {
      buttons.push(act('Suspend', 'suspend', `Suspend @${target.username}?`,
        'Their account and posts are hidden from everyone until unsuspended. The report is resolved.'));
    }
  } else {
    buttons.push(adminButton('Reopen', path('reopen'), { done: again, errorEl: error }));
  }
  li.replaceChildren(
    h('h2', {}, who(r.account), ' reported ', who(target), ' ', ...stateTags(target)),
    h('p', { class: 'muted' }, h('span', { class: 'tag' }, CATEGORY[r.category] ?? r.category), ' · ',
      h('time', { datetime: r.created_at }, when(r.created_at)),
      ' · ', r.assigned_account ? ['taken by ', who(r.assigned_account)] : 'nobody has taken it',
      r.action_taken ? [' · resolved', r.action_taken_by_account ? [' by ', who(r.action_taken_by_account)] : ''] : ''),
    r.comment ? h('blockquote', { class: 'report-comment' }, r.comment) : h('p', { class: 'muted' }, 'No note.'),
    r.statuses?.length
      ? h('ul', { class: 'reported-posts', 'aria-label': 'Reported posts' }, r.statuses.map(reportedPost))
      : h('p', { class: 'muted' }, 'No post named: the report is about the account.'),
    error,
    h('div', { class: 'actions' }, buttons));
}
