// channel-members.js — the Members section of a channel (#/channel/<id>/members): who is in
// it and with which role; for moderators, the people asking to join (approve or reject) and
// removing members below their own role; for owners, giving roles. The server enforces every
// rule again (docs/api.md "Members and roles"); here they only decide which buttons to show.

import { api } from './api.js';
import { avatarImg } from './avatar.js';
import { actingRole, isModerator, rank, ROLE_NAMES } from './channel-common.js';
import { confirmInline } from './confirm.js';
import { h, toast } from './dom.js';
import { me } from './me.js';

const base = (ch) => `/api/v1/partyline/channels/${ch.id}`;
const who = (a) => a.display_name || a.username;

function person(a, ...extra) {
  return h('div', { class: 'person' }, avatarImg(a, 32),
    h('span', { class: 'name' }, who(a)), ' ', h('span', { class: 'acct' }, `@${a.acct}`), ...extra);
}

function requestsSection(ch, onChannel) {
  const list = h('ul', { class: 'people', 'aria-label': 'People asking to join' });
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  const section = h('section', { class: 'card', 'aria-labelledby': 'req-h' },
    h('h2', { id: 'req-h' }, 'Asking to join'), list, state);
  (async () => {
    try {
      const { data } = await api(`${base(ch)}/requests?limit=80`);
      state.textContent = data.length ? '' : 'Nobody is waiting.';
      for (const a of data) {
        const error = h('p', { class: 'error', role: 'alert', hidden: true });
        const decide = async (button, verb) => {
          button.disabled = true;
          error.hidden = true;
          try {
            await api(`${base(ch)}/requests/${a.id}/${verb}`, { method: 'POST' });
            toast(verb === 'authorize' ? `${who(a)} is now a member` : `${who(a)}'s request was declined`);
            onChannel();
          } catch (e) {
            error.textContent = `${e.message}`;
            error.hidden = false;
            button.disabled = false;
          }
        };
        const yes = h('button', { type: 'button', 'aria-label': `Approve ${who(a)}` }, 'Approve');
        const no = h('button', { type: 'button', class: 'quiet', 'aria-label': `Reject ${who(a)}` }, 'Reject');
        yes.addEventListener('click', () => decide(yes, 'authorize'));
        no.addEventListener('click', () => decide(no, 'reject'));
        list.append(h('li', {}, person(a), h('div', { class: 'row-actions' }, yes, no), error));
      }
    } catch (e) {
      state.className = 'error';
      state.textContent = `Could not load the requests: ${e.message}`;
    }
  })();
  return section;
}

function memberRow(ch, m, onChannel, mine) {
  const a = m.account;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const fail = (e) => { error.textContent = `${e.message}`; error.hidden = false; };
  const actions = h('div', { class: 'row-actions' });
  const roleText = h('span', { class: `tag role-${m.role}` }, ROLE_NAMES[m.role] ?? m.role);
  // Owners give roles (not to themselves: stepping down is for another owner to do, and the
  // server keeps one owner anyway); a moderator removes members below their own role.
  if (actingRole(ch) === 'owner' && a.id !== mine) {
    const sel = `role-${a.id}`;
    const select = h('select', { id: sel },
      Object.entries(ROLE_NAMES).map(([v, label]) => h('option', { value: v, selected: v === m.role }, label)));
    const save = h('button', { type: 'button', class: 'quiet' }, 'Change role');
    save.setAttribute('aria-label', `Change role of ${who(a)}`);
    save.addEventListener('click', async () => {
      if (select.value === m.role) return;
      save.disabled = true;
      error.hidden = true;
      try {
        const { data } = await api(`${base(ch)}/members/${a.id}`, { method: 'PUT', json: { role: select.value } });
        m.role = data.role;
        roleText.textContent = ROLE_NAMES[data.role] ?? data.role;
        toast(`${who(a)} is now ${(ROLE_NAMES[data.role] ?? data.role).toLowerCase()}`);
      } catch (e) {
        fail(e);
        select.value = m.role;
      } finally {
        save.disabled = false;
      }
    });
    actions.append(h('label', { for: sel, class: 'visually-hidden' }, `Role of ${who(a)}`), select, save);
  }
  if (isModerator(ch) && rank(m.role) < rank(actingRole(ch))) {
    const remove = h('button', { type: 'button', class: 'quiet danger', 'aria-label': `Remove ${who(a)} from the channel` }, 'Remove');
    remove.addEventListener('click', () => {
      error.hidden = true;
      confirmInline(remove, {
        question: `Remove ${who(a)} from the channel?`,
        detail: ch.private ? 'They would have to ask to join again.' : 'They can join again.',
        yes: 'Remove',
        fail: `${who(a)} was not removed`,
        onYes: async () => {
          await api(`${base(ch)}/members/${a.id}`, { method: 'DELETE' });
          toast(`${who(a)} was removed from the channel`);
          onChannel();
        },
      });
    });
    actions.append(remove);
  }
  return h('li', { 'data-id': a.id }, person(a, ' ', roleText), actions, error);
}

/** The members section; onChannel() redraws the whole channel (counts changed). */
export function membersSection(ch, { onChannel }) {
  const wrap = h('div', { class: 'members' });
  if (ch.private && !ch.member) {
    wrap.append(h('p', { class: 'card notice' }, 'Only members see who is in a private channel.'));
    return wrap;
  }
  if (isModerator(ch) && ch.private) wrap.append(requestsSection(ch, onChannel));
  const list = h('ul', { class: 'people', 'aria-label': 'Members' });
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'quiet', hidden: true }, 'Show more members');
  let next = null;
  async function load() {
    more.disabled = true;
    try {
      const q = new URLSearchParams({ limit: 80 });
      if (next) q.set('max_id', next);
      const [{ data, next: n }, self] = await Promise.all([api(`${base(ch)}/members?${q}`), me()]);
      for (const m of data) list.append(memberRow(ch, m, onChannel, self?.id));
      next = n && data.length >= 80 ? n : null; // a short page is the last
      state.textContent = list.children.length ? '' : 'Nobody is in this channel.';
    } catch (e) {
      state.className = 'error';
      state.textContent = `Could not load the members: ${e.message}`;
    } finally {
      more.disabled = false;
      more.hidden = !next;
    }
  }
  more.addEventListener('click', load);
  load();
  wrap.append(h('section', { class: 'card', 'aria-labelledby': 'mem-h' },
    h('h2', { id: 'mem-h' }, 'Members'), list, state, more));
  return wrap;
}
