// admin/retention.js — retention policies and legal holds in the administration area
// (views/admin.js; administrators only, as the server says too): the company's, the direct
// messages' and each channel's "delete posts older than N days" (GET, PUT, DELETE
// /api/v1/partyline/admin/retention/policies/…), and the legal holds in force on accounts and
// channels (GET /api/v1/partyline/admin/holds, POST to put one, POST …/:id/release). A channel
// or a person is named, and found by name (a channel is an account: accounts/lookup).

import { api } from '../api.js';
import { h } from '../dom.js';
import { pagedList } from '../paged.js';
import { accountLink, adminButton, findByName, when } from './common.js';

const POLICIES = '/api/v1/partyline/admin/retention/policies';
const HOLDS = '/api/v1/partyline/admin/holds';

const policyPath = (p) => (p.scope === 'channel' ? `${POLICIES}/channels/${encodeURIComponent(p.channel_id)}` : `${POLICIES}/${p.scope}`);
const daysText = (d) => (d === 1 ? '1 day' : `${d} days`);

export function retention() {
  return h('section', { 'aria-label': 'Retention' },
    h('p', {}, 'Posts older than a policy’s days are deleted with their files, in the background. ',
      'The most specific policy decides: a post’s channel’s, else — for a direct message — the direct messages’, ',
      'else the company’s; so a longer channel policy keeps its posts longer than the company’s would. ',
      'A person’s own automatic deletion can only delete sooner. A legal hold on an account or a channel ',
      'keeps its posts from every policy until it is released.'),
    policies(), holds());
}

// ---- policies -----------------------------------------------------------------------------

function policies() {
  const list = h('ul', { class: 'admin-list', 'aria-label': 'Retention policies' });
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading…');

  async function load() {
    try {
      const { data } = await api(POLICIES, { admin: true });
      const order = { company: 0, direct: 1, channel: 2 };
      data.sort((a, b) => order[a.scope] - order[b.scope]);
      list.replaceChildren(...data.map((p) => policyRow(p, load)));
      state.textContent = data.length ? '' : 'No policy: posts are kept until their authors delete them.';
      state.className = 'empty';
    } catch (e) {
      state.textContent = `Could not load the policies: ${e.message}`;
      state.className = 'error';
    }
  }

  const scope = h('select', { id: 'retention-scope', name: 'scope' },
    h('option', { value: 'company' }, 'The company (every post)'),
    h('option', { value: 'direct' }, 'Direct messages'),
    h('option', { value: 'channel' }, 'A channel'));
  const channel = h('input', { id: 'retention-channel', name: 'channel', autocomplete: 'off', placeholder: 'channel name' });
  const channelField = h('div', { class: 'field', hidden: true }, h('label', { for: channel.id }, 'Channel'), channel);
  const days = h('input', { id: 'retention-days', name: 'days', type: 'number', min: 1, max: 36500, step: 1, required: true, inputmode: 'numeric' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit' }, 'Set the policy');
  scope.addEventListener('change', () => { channelField.hidden = scope.value !== 'channel'; });
  // novalidate: the server's refusal ("days must be a whole number from 1 to 36500") is said
  // under the form, as every other refusal here, instead of the browser's bubble
  const form = h('form', { class: 'card admin-filters', 'aria-label': 'Set a retention policy', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: scope.id }, 'Applies to'), scope),
    channelField,
    h('div', { class: 'field' }, h('label', { for: days.id }, 'Delete posts older than (days)'), days),
    error, h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    save.disabled = true;
    try {
      let path = `${POLICIES}/${scope.value}`;
      if (scope.value === 'channel') path = `${POLICIES}/channels/${encodeURIComponent((await findByName(channel.value, { channel: true })).id)}`;
      // the server checks the number (a whole number from 1 to 36500) and says so
      await api(path, { method: 'PUT', json: { days: days.value.trim() === '' ? null : Number(days.value) }, admin: true });
      days.value = '';
      await load();
    } catch (err) {
      error.textContent = `The policy was not set: ${err.message}`;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  load();
  return h('section', { class: 'admin-part', 'aria-labelledby': 'retention-policies' },
    h('h2', { id: 'retention-policies' }, 'Policies'), list, state, form);
}

function policyRow(p, reload) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const label = p.scope === 'company' ? 'The company' : p.scope === 'direct' ? 'Direct messages'
    : h('span', {}, 'Channel ', accountLink(p.channel_id, { channel: true }));
  const what = p.scope === 'company' ? 'the company’s policy' : p.scope === 'direct' ? 'the direct messages’ policy' : 'this channel’s policy';
  return h('li', { class: 'card admin-policy', 'data-scope': p.scope },
    h('h3', {}, label, ': ', `posts older than ${daysText(p.days)} are deleted`),
    h('p', { class: 'muted' }, 'Set by ', p.set_by ? accountLink(p.set_by) : 'the command line', ' · ',
      h('time', { datetime: p.set_at }, when(p.set_at))),
    error,
    h('div', { class: 'actions' }, adminButton('Remove', policyPath(p), {
      method: 'DELETE', done: reload, errorEl: error,
      confirm: { question: `Remove ${what}?`, detail: 'Posts it would delete are kept (unless another policy applies).', yes: 'Remove' },
    })));
}

// ---- legal holds --------------------------------------------------------------------------

function holds() {
  const results = h('div', {});
  function load() {
    const list = h('ul', { class: 'admin-list', 'aria-label': 'Legal holds' });
    const p = pagedList({
      list, path: HOLDS, params: {}, what: 'the legal holds', apiOpts: { admin: true },
      row: (x) => holdRow(x), empty: 'No legal hold is in force.',
    });
    results.replaceChildren(list, p.state, p.moreRow);
  }

  const kind = h('select', { id: 'hold-kind', name: 'kind' },
    h('option', { value: 'channel' }, 'A channel'), h('option', { value: 'account' }, 'A person'));
  const name = h('input', { id: 'hold-name', name: 'name', autocomplete: 'off', required: true, placeholder: 'name' });
  const reason = h('input', { id: 'hold-reason', name: 'reason', autocomplete: 'off', maxlength: 500 });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const put = h('button', { type: 'submit' }, 'Put on hold');
  const form = h('form', { class: 'card admin-filters', 'aria-label': 'Put a legal hold' },
    h('div', { class: 'field' }, h('label', { for: kind.id }, 'Hold'), kind),
    h('div', { class: 'field' }, h('label', { for: name.id }, 'Name'), name),
    h('div', { class: 'field' }, h('label', { for: reason.id }, 'Reason'), reason),
    error, h('div', { class: 'actions' }, put));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    put.disabled = true;
    try {
      const channel = kind.value === 'channel';
      const target = await findByName(name.value, { channel });
      await api(HOLDS, {
        json: { [channel ? 'channel_id' : 'account_id']: target.id, reason: reason.value.trim() }, admin: true,
      });
      name.value = '';
      reason.value = '';
      load();
    } catch (err) {
      error.textContent = `No hold was put: ${err.message}`;
      error.hidden = false;
    } finally {
      put.disabled = false;
    }
  });
  load();
  return h('section', { class: 'admin-part', 'aria-labelledby': 'retention-holds' },
    h('h2', { id: 'retention-holds' }, 'Legal holds in force'), results, form);
}

function holdRow(x) {
  const li = h('li', { class: 'card admin-hold', 'data-id': x.id });
  const channel = x.target_kind === 'channel';
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const release = adminButton('Release', `${HOLDS}/${encodeURIComponent(x.id)}/release`, {
    errorEl: error,
    confirm: {
      question: 'Release this hold?',
      detail: 'Retention policies apply again to what it kept; posts already past their days are deleted at the next run.',
      yes: 'Release',
    },
    done: (r) => {
      const said = h('p', { class: 'muted', tabindex: '-1' }, 'Released ', h('time', { datetime: r.released_at }, when(r.released_at)), '.');
      li.querySelector('.actions').replaceWith(said);
      said.focus();
    },
  });
  li.append(
    h('h3', {}, channel ? 'Channel ' : 'Account ', accountLink(x.target_id, { channel })),
    x.reason ? h('p', {}, h('strong', {}, 'Reason: '), x.reason) : h('p', { class: 'muted' }, 'No reason given.'),
    h('p', { class: 'muted' }, 'Put by ', x.set_by ? accountLink(x.set_by) : 'the command line', ' · ',
      h('time', { datetime: x.created_at }, when(x.created_at))),
    error, h('div', { class: 'actions' }, release));
  return li;
}
