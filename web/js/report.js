// report.js — "Report" on a post or a profile (issue 14): a short form that tells the
// company's moderators something is wrong, through Mastodon's POST /api/v1/reports
// (account_id, status_ids, category, comment). Only the moderators see a report; the person
// reported is not told who reported them. The server's refusal (a limit, a post one may not
// see, too many reports at once) is shown as it says it.

import { api } from './api.js';
import { h, toast } from './dom.js';
import { displayName } from './people.js';

const CATEGORIES = [
  ['violation', 'It breaks a rule of the company'],
  ['spam', 'It is spam'],
  ['legal', 'It may be illegal'],
  ['other', 'Something else'],
];
const MAX_COMMENT = 1000; // the server's max_report_comment default (it says so when lower)

let formCount = 0;

/**
 * The form for reporting account (an Account) and, if given, its post status. onDone(report)
 * after the server took it; onCancel() when the person gives up. The form focuses its first
 * choice when it opens.
 */
export function reportForm({ account, status = null, onDone = () => {}, onCancel = () => {} }) {
  const n = ++formCount;
  const who = displayName(account);
  const legend = status ? `Report this post by ${who}` : `Report ${who}`;
  const choices = CATEGORIES.map(([value, label], i) => {
    const id = `report-${n}-${value}`;
    return h('div', { class: 'check' },
      h('input', { type: 'radio', name: `report-${n}-category`, id, value, checked: i === 0 }),
      h('label', { for: id }, label));
  });
  const commentId = `report-${n}-comment`;
  const comment = h('textarea', { id: commentId, rows: 3, maxlength: MAX_COMMENT });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const send = h('button', { type: 'submit' }, 'Send report');
  const cancel = h('button', { type: 'button', class: 'quiet', onclick: () => onCancel() }, 'Cancel');
  const form = h('form', { class: 'report card stack', 'aria-label': legend },
    h('fieldset', {}, h('legend', {}, legend), choices),
    h('div', { class: 'field' }, h('label', { for: commentId }, 'What should the moderators know? (optional)'), comment),
    h('p', { class: 'muted' }, 'Only the company’s moderators see this. We do not tell ', who, ' who reported.'),
    error,
    h('div', { class: 'row' }, send, cancel));
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.stopPropagation(); onCancel(); }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    send.disabled = true;
    const category = form.querySelector('input[type=radio]:checked')?.value ?? 'other';
    const json = { account_id: account.id, category, comment: comment.value.trim() };
    if (status) json.status_ids = [status.id];
    try {
      const { data } = await api('/api/v1/reports', { json });
      toast('Thank you. The moderators will look at it.');
      onDone(data);
    } catch (err) {
      error.textContent = `The report was not sent: ${err.message}`;
      error.hidden = false;
      send.disabled = false;
    }
  });
  queueMicrotask(() => form.querySelector('input[type=radio]')?.focus());
  return form;
}
