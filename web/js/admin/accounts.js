// admin/accounts.js — the accounts of the administration area (views/admin.js), over
// Mastodon's admin API: GET /api/v2/admin/accounts (by state, by name), and for each person
// what a moderator may do — approve or reject a sign-up, disable or enable sign-in, limit,
// suspend and their undoing — and for administrators off-boarding
// (POST /api/v1/partyline/admin/accounts/:id/offboard, with whoever takes their channels).

import { api } from '../api.js';
import { h } from '../dom.js';
import { pagedList } from '../paged.js';
import { adminButton, stateTags, when, who } from './common.js';

const STATES = [
  ['', 'Everyone'],
  ['pending', 'Waiting for approval'],
  ['active', 'Active'],
  ['disabled', 'Sign-in disabled'],
  ['silenced', 'Limited'],
  ['suspended', 'Suspended'],
];

export function accounts({ me, role }) {
  const state = h('select', { id: 'admin-accounts-state', name: 'status' },
    STATES.map(([v, label]) => h('option', { value: v }, label)));
  const name = h('input', { id: 'admin-accounts-name', name: 'username', autocomplete: 'off' });
  const results = h('div', {});
  const form = h('form', { class: 'card admin-filters', 'aria-label': 'Find accounts' },
    h('div', { class: 'field' }, h('label', { for: state.id }, 'State'), state),
    h('div', { class: 'field' }, h('label', { for: name.id }, 'Username'), name),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  function show() {
    const params = { origin: 'local' };
    if (state.value) params.status = state.value;
    if (name.value.trim()) params.username = name.value.trim().replace(/^@/, '');
    const list = h('ul', { class: 'admin-list', 'aria-label': 'Accounts' });
    const p = pagedList({
      list, path: '/api/v2/admin/accounts', params, what: 'the accounts', apiOpts: { admin: true },
      row: (x) => accountRow(x, { me, role }), empty: 'Nobody matches.',
    });
    results.replaceChildren(list, p.state, p.moreRow);
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); show(); });
  show();
  return h('section', { 'aria-label': 'Accounts' }, form, results);
}

function accountRow(x, ctx) {
  const li = h('li', { class: 'card admin-account', 'data-id': x.id });
  draw(li, x, ctx);
  return li;
}

function draw(li, x, ctx) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const base = `/api/v1/admin/accounts/${encodeURIComponent(x.id)}`;
  const again = async () => {
    const { data } = await api(base, { admin: true });
    draw(li, data, ctx);
    li.querySelector('button')?.focus();
  };
  const plain = (label, what) => adminButton(label, `${base}/${what}`, { done: again, errorEl: error });
  const act = (label, type, detail) => adminButton(label, `${base}/action`,
    { json: { type }, done: again, confirm: { question: `${label} @${x.username}?`, detail, yes: label } });
  const buttons = [];
  const self = x.id === ctx.me.id;
  if (!x.approved) {
    buttons.push(adminButton('Approve', `${base}/approve`, { done: again, errorEl: error, cls: '' }));
    buttons.push(adminButton('Reject', `${base}/reject`, {
      done: () => li.replaceChildren(h('p', { class: 'muted' }, `@${x.username}’s sign-up was rejected.`)),
      confirm: { question: `Reject @${x.username}’s sign-up?`, detail: 'The account is deleted.', yes: 'Reject' },
    }));
  } else if (!self) {
    buttons.push(x.disabled ? plain('Enable sign-in', 'enable')
      : act('Disable sign-in', 'disable', 'They are signed out everywhere and cannot sign in; their posts stay.'));
    buttons.push(x.silenced ? plain('Unlimit', 'unsilence')
      : act('Limit', 'silence', 'Their posts reach only their followers.'));
    buttons.push(x.suspended ? plain('Unsuspend', 'unsuspend')
      : act('Suspend', 'suspend', 'Their account and posts are hidden from everyone until unsuspended.'));
    if (ctx.role === 'admin') buttons.push(offboardButton(x, li, error));
  }
  li.replaceChildren(
    h('h2', {}, who(x), ' ', x.account?.display_name ? h('span', { class: 'muted' }, x.account.display_name) : null, ' ',
      ...stateTags(x)),
    h('p', { class: 'muted' }, x.email || 'no e-mail', ' · joined ', h('time', { datetime: x.created_at }, when(x.created_at))),
    x.invite_request ? h('p', {}, h('strong', {}, 'Why they asked to join: '), x.invite_request) : null,
    error,
    buttons.length ? h('div', { class: 'actions' }, buttons) : null);
}

/** Off-board: asks who takes the person's channels (optional), then does it. */
function offboardButton(x, li, error) {
  const b = h('button', { type: 'button', class: 'quiet' }, 'Off-board');
  b.addEventListener('click', () => {
    const heir = h('input', { id: `heir-${x.id}`, autocomplete: 'off', placeholder: 'username (optional)' });
    const wipe = h('input', { type: 'checkbox', id: `wipe-${x.id}` });
    const problem = h('p', { class: 'error', role: 'alert', hidden: true });
    const go = h('button', { type: 'button', class: 'danger' }, `Off-board @${x.username}`);
    const cancel = h('button', { type: 'button', class: 'quiet' }, 'Cancel');
    const box = h('div', { class: 'confirm', role: 'group', 'aria-label': `Off-board @${x.username}` },
      h('p', {}, `Off-board @${x.username}? `, h('span', { class: 'muted' },
        'Their sign-in is disabled and every session ends at once; their follow requests and places in lists go; the channels they own pass on.')),
      h('div', { class: 'field' }, h('label', { for: heir.id }, 'Who takes their channels'), heir),
      h('div', { class: 'check' }, wipe, h('label', { for: wipe.id },
        'Also delete their posts, direct messages, files and profile (not what a legal hold keeps; others’ replies stay)')),
      problem, h('div', { class: 'row' }, go, cancel));
    cancel.addEventListener('click', () => { box.remove(); b.hidden = false; b.focus(); });
    go.addEventListener('click', async () => {
      problem.hidden = true;
      go.disabled = true;
      try {
        const json = { wipe: wipe.checked };
        if (heir.value.trim()) {
          const { data } = await api(`/api/v1/accounts/lookup?acct=${encodeURIComponent(heir.value.trim().replace(/^@/, ''))}`)
            .catch((e) => { throw new Error(e.status === 404 ? `Nobody is called ${heir.value.trim()}.` : e.message); });
          json.transfer_to = data.id;
        }
        const { data } = await api(`/api/v1/partyline/admin/accounts/${encodeURIComponent(x.id)}/offboard`, { json, admin: true });
        const done = h('p', { class: 'muted', tabindex: '-1' },
          `@${x.username} was off-boarded: ${data.tokens} sessions ended, ${data.channels} channels passed on.`
          + (data.wipe ? ' Their posts, files and profile are being deleted; the audit log says when it is done.' : ''));
        li.replaceChildren(done);
        done.focus();
      } catch (e) {
        problem.textContent = `Off-boarding did not work: ${e.message}`;
        problem.hidden = false;
        go.disabled = false;
      }
    });
    error.hidden = true;
    b.after(box);
    b.hidden = true;
    heir.focus();
  });
  return b;
}
