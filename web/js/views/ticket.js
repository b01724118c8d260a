// views/ticket.js — one ticket, "#/ticket/<id>", and the form of a new one, "#/ticket/new"
// (issue 16, C13; docs/api.md "Tickets").
//
// The page: the ticket's facts (state, priority, requester, assignee, team, when it was opened,
// its due times, a missed one marked), then its thread — the root and the replies as the same
// status cards a conversation shows (GET /statuses/:id/context), each system entry (a change,
// Status.partyline.system) a small log line rather than a post, each work note (audience
// internal) marked "Internal note — service team only". Follow / Unfollow (Ticket.following).
// The service team (verify_credentials' partyline.service_team) gets the controls: the state
// (only the moves the server's table allows; a refusal shows the server's words), priority,
// team, assignee (Assign to me, Unassign, or someone found by people search) — each a PATCH,
// after which the page draws the ticket and its thread again from the server. The reply box
// answers the root; for the team it has "Add internal note" too (visibility internal). The
// requester reads the thread, replies, and may reopen a resolved ticket. A follower's page
// follows the thread live (the `status` notifications of the user stream). A ticket one may
// not see is the API's 404, said as such.
//
// The form: a title (one line) and the text; the server's field errors (details.title,
// details.text) are shown at their field; on success the new ticket's page opens.

import { api } from '../api.js';
import { composeForm } from '../compose.js';
import { h, toast } from '../dom.js';
import { me } from '../me.js';
import { statusCard } from '../status.js';
import { subscribe } from '../stream.js';
import {
  dueLines, firstLine, moveName, MOVES, PRIORITIES, priorityTag, serviceTeam, stateTag, timeFromNow,
} from '../tickets.js';

export const title = 'Ticket';

const MAX_DEPTH = 4; // as a thread's page: deeper replies keep this indent
const T = '/api/v1/partyline/tickets';
const who = (a) => (a ? h('a', { href: `#/profile/${encodeURIComponent(a.id)}` }, a.display_name || a.username) : null);

export function render(root, { args, navigate }) {
  if (args[0] === 'new') return newTicket(root, navigate);
  return ticketPage(root, args[0] ?? '');
}

/* ---------------------------------------------------------------- the form */

function newTicket(root, navigate) {
  document.title = 'New ticket · partyline';
  const field = (name, label, control, hint) => {
    const error = h('p', { class: 'field-error', id: `nt-${name}-error`, hidden: true });
    control.id = `nt-${name}`;
    control.setAttribute('aria-describedby', `nt-${name}-hint nt-${name}-error`);
    return {
      el: h('div', { class: 'field' }, h('label', { for: control.id }, label),
        h('p', { class: 'hint', id: `nt-${name}-hint` }, hint), control, error),
      control, error,
    };
  };
  const titleF = field('title', 'Title', h('input', { type: 'text', name: 'title', maxlength: 200, autocomplete: 'off' }),
    'One line that says what is wrong or what you need.');
  const textF = field('text', 'What happened', h('textarea', { name: 'text', rows: 6 }),
    'Details help: since when, what you tried, what you see. The service team and you read it.');
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Open ticket');
  const form = h('form', { class: 'card stack new-ticket', 'aria-label': 'New ticket' },
    titleF.el, textF.el, formError, h('div', { class: 'row' }, submit, h('a', { href: '#/tickets' }, 'Back to the tickets')));
  root.append(h('h1', {}, 'New ticket'), form);
  const fields = { title: titleF, text: textF };
  const clear = () => {
    formError.hidden = true;
    for (const f of Object.values(fields)) {
      f.error.hidden = true;
      f.control.removeAttribute('aria-invalid');
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear();
    submit.disabled = true;
    try {
      const { data } = await api(T, { json: { title: titleF.control.value, text: textF.control.value } });
      navigate(`#/ticket/${encodeURIComponent(data.id)}`);
    } catch (err) {
      let first = null;
      for (const [name, list] of Object.entries(err.data?.details ?? {})) {
        const f = fields[name];
        if (!f) continue;
        const words = (Array.isArray(list) ? list : []).map((d) => d.description).filter(Boolean).join(' ');
        f.error.textContent = (words || err.message).replace(/^Validation failed: /, '');
        f.error.hidden = false;
        f.control.setAttribute('aria-invalid', 'true');
        first ??= f.control;
      }
      if (first) first.focus();
      else {
        formError.textContent = `The ticket was not opened: ${err.message} What you wrote is still here.`;
        formError.hidden = false;
      }
    } finally {
      submit.disabled = false;
    }
  });
  titleF.control.focus();
}

/* ---------------------------------------------------------------- the page */

/** A system entry of the thread: a log line, not a post card. */
function logLine(s) {
  const text = firstLine(s, 400) || 'Changed.';
  return h('li', { class: 'ticket-log', 'data-id': s.id },
    h('span', { class: 'visually-hidden' }, 'Change: '),
    h('span', { class: 'log-who' }, s.account.display_name || s.account.username), ' — ',
    h('span', { class: 'log-text' }, text), ' ', h('span', { class: 'muted' }, timeFromNow(s.created_at)));
}

function ticketPage(root, id) {
  let gone = false;
  let ticket = null;
  let team = { on: false, team: null };
  let account = null;
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading the ticket…');
  const heading = h('h1', {}, 'Ticket');
  const facts = h('section', { class: 'card ticket-facts', 'aria-label': 'About this ticket' });
  const controls = h('section', { class: 'card ticket-controls', 'aria-labelledby': 'ticket-controls-title', hidden: true });
  const thread = h('ol', { class: 'feed thread ticket-thread', 'aria-label': 'Ticket thread' });
  const replyArea = h('section', { class: 'replies', 'aria-labelledby': 'ticket-reply-title' });
  root.append(heading, state);

  // live: a follower is told of every post of the thread (a `status` notification on the user
  // stream), so the page reads the ticket again when one is about it; a part holding the focus
  // (a choice half made, an inline reply) is left as it is
  let loading = null;
  let again = false;
  function liveLoad() {
    if (loading) { again = true; return; }
    loading = load({ live: true }).finally(() => {
      loading = null;
      if (again && !gone) { again = false; liveLoad(); }
    });
  }
  const off = subscribe({ stream: 'user' }, (event, payload) => {
    if (event === 'reconnected' || (ticket && event === 'notification' && payload?.status?.partyline?.ticket_id === ticket.id)) liveLoad();
  });

  async function load({ live = false } = {}) {
    const keep = (el) => live && el.contains(document.activeElement);
    try {
      // an id is digits (the API would read "#/ticket/" as the list)
      if (!/^\d+$/.test(id)) throw Object.assign(new Error('Record not found'), { status: 404 });
      const [{ data: t }, who0] = await Promise.all([api(`${T}/${encodeURIComponent(id)}`), me()]);
      if (gone) return;
      ticket = t;
      account = who0;
      team = serviceTeam(account);
      // the thread; a root deleted since leaves the ticket without one (its facts stay)
      let rootStatus = null;
      let ctx = null;
      try {
        [{ data: rootStatus }, { data: ctx }] = await Promise.all([
          api(`/api/v1/statuses/${encodeURIComponent(t.status_id)}`),
          api(`/api/v1/statuses/${encodeURIComponent(t.status_id)}/context`),
        ]);
      } catch (err) {
        if (err.status !== 404) throw err;
      }
      if (gone) return;
      const line = t.title || (rootStatus ? firstLine(rootStatus) : '');
      heading.textContent = line || 'Ticket';
      document.title = `${line || 'Ticket'} · partyline`;
      state.hidden = true;
      if (!keep(facts)) drawFacts();
      if (!keep(controls)) drawControls();
      if (rootStatus) {
        if (!keep(thread)) drawThread(rootStatus, ctx.descendants);
        if (!replyArea.firstChild) drawReply(rootStatus);
      } else {
        thread.replaceChildren(h('li', { class: 'empty' }, 'The post this ticket was opened on has been deleted, and its thread with it.'));
      }
      if (!facts.isConnected) root.append(facts, controls, h('h2', { id: 'ticket-thread-title' }, 'Thread'), thread, replyArea);
    } catch (err) {
      if (gone) return;
      if (err.status === 404) {
        document.title = 'Ticket not found · partyline';
        root.replaceChildren(h('h1', {}, 'Ticket not found'),
          h('p', { class: 'empty' }, 'This ticket does not exist or is not yours to see. ',
            h('a', { href: '#/tickets' }, 'Go to the tickets.')));
        return;
      }
      state.hidden = false;
      state.className = 'error';
      state.replaceChildren(`Could not load this ticket: ${err.message} `,
        h('button', { type: 'button', class: 'quiet', onclick: load }, 'Try again'));
    }
  }

  /** After a change or a reply: the ticket and its thread again, from the server. */
  async function reload() {
    await load();
  }

  function drawFacts() {
    const t = ticket;
    const follow = h('button', { type: 'button', class: 'quiet ticket-follow' }, t.following ? 'Unfollow' : 'Follow');
    follow.addEventListener('click', async () => {
      follow.disabled = true;
      try {
        const { data } = await api(`${T}/${encodeURIComponent(t.id)}/${ticket.following ? 'unfollow' : 'follow'}`, { method: 'POST' });
        ticket = data;
        toast(data.following ? 'You follow this ticket: you are told of every post in it.' : 'You no longer follow this ticket.');
        drawFacts();
        facts.querySelector('.ticket-follow')?.focus();
      } catch (err) {
        toast(`That did not work: ${err.message}`, 6000);
        follow.disabled = false;
      }
    });
    const requester = account && t.requester?.id === account.id;
    const reopenError = h('p', { class: 'error', role: 'alert', hidden: true });
    const reopen = !team.on && requester && t.state === 'resolved'
      ? h('button', { type: 'button', onclick: () => change({ state: 'in_progress' }, reopenError) }, 'Reopen')
      : null;
    facts.replaceChildren(
      h('p', { class: 'ticket-tags' }, stateTag(t.state), ' ', priorityTag(t.priority),
        t.team ? [' ', h('span', { class: 'tag' }, `Team: ${t.team}`)] : null),
      h('dl', { class: 'fields ticket-fields' },
        h('dt', {}, 'Asked by'), h('dd', {}, who(t.requester) ?? 'someone no longer here'),
        h('dt', {}, 'Assigned to'), h('dd', { class: 'ticket-assignee' }, who(t.assignee) ?? 'Nobody yet'),
        h('dt', {}, 'Opened'), h('dd', {}, timeFromNow(t.created_at))),
      h('ul', { class: 'ticket-due', 'aria-label': 'Due' }, dueLines(t)),
      h('div', { class: 'row' }, follow, reopen),
      reopenError);
  }

  /** PATCHes the ticket; a refusal is shown in the server's words in errorEl. */
  async function change(json, errorEl) {
    errorEl.hidden = true;
    try {
      const { data } = await api(`${T}/${encodeURIComponent(ticket.id)}`, { method: 'PATCH', json });
      ticket = data;
      await reload();
      toast('The ticket was changed.');
      return true;
    } catch (err) {
      errorEl.textContent = `Not changed: ${err.message}`;
      errorEl.hidden = false;
      return false;
    }
  }

  function drawControls() {
    if (!team.on) {
      controls.hidden = true;
      return;
    }
    const t = ticket;
    controls.hidden = false;
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    // state: only the moves the table allows
    const stateSel = h('select', { id: 'tc-state' },
      h('option', { value: '' }, `${stateTag(t.state).textContent} (now)`),
      (MOVES[t.state] ?? []).map((to) => h('option', { value: to }, moveName(t.state, to))));
    const prioSel = h('select', { id: 'tc-priority' },
      Object.entries(PRIORITIES).map(([v, text]) => h('option', { value: v, selected: v === t.priority }, text)));
    const teamIn = h('input', { type: 'text', id: 'tc-team', value: t.team ?? '', maxlength: 100, autocomplete: 'off' });
    const save = h('button', { type: 'submit' }, 'Save changes');
    const form = h('form', { class: 'stack', 'aria-label': 'Change the ticket' },
      h('div', { class: 'ticket-control-grid' },
        h('div', { class: 'field' }, h('label', { for: 'tc-state' }, 'State'), stateSel),
        h('div', { class: 'field' }, h('label', { for: 'tc-priority' }, 'Priority'), prioSel),
        h('div', { class: 'field' }, h('label', { for: 'tc-team' }, 'Team'), teamIn)),
      h('div', { class: 'row' }, save));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const json = {};
      if (stateSel.value) json.state = stateSel.value;
      if (prioSel.value !== t.priority) json.priority = prioSel.value;
      const teamName = teamIn.value.trim();
      if (teamName !== (t.team ?? '')) json.team = teamName || null;
      if (!Object.keys(json).length) {
        error.textContent = 'Nothing to change: pick a new state, priority or team first.';
        error.hidden = false;
        return;
      }
      save.disabled = true;
      const done = await change(json, error);
      save.disabled = false;
      if (done) controls.querySelector('#tc-state')?.focus();
    });

    // the assignee: oneself, nobody, or someone found by people search (the server refuses
    // someone not on the team, in its words)
    const assignError = h('p', { class: 'error', role: 'alert', hidden: true });
    const assignTo = async (acct) => {
      if (await change({ assignee_id: acct ? acct.id : null }, assignError)) controls.querySelector('#tc-assign')?.focus();
    };
    const mine = t.assignee?.id === account.id;
    const results = h('ul', { class: 'people ticket-assign-results', 'aria-label': 'People found' });
    const search = h('input', { type: 'search', id: 'tc-assign', autocomplete: 'off', placeholder: 'Name or @username' });
    let seq = 0;
    let timer = null;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      const q = search.value.trim();
      if (!q) { results.replaceChildren(); return; }
      timer = setTimeout(async () => {
        const my = ++seq;
        try {
          const { data } = await api(`/api/v1/accounts/search?${new URLSearchParams({ q, limit: 5, resolve: 'false' })}`);
          if (my !== seq) return;
          results.replaceChildren(...data.map((a) => h('li', {},
            h('span', { class: 'person' }, h('span', { class: 'name' }, a.display_name || a.username), h('span', { class: 'acct' }, `@${a.acct}`)),
            h('button', { type: 'button', class: 'quiet', onclick: () => assignTo(a) }, `Assign to ${a.display_name || a.username}`))));
          if (!data.length) results.replaceChildren(h('li', { class: 'muted' }, 'Nobody found.'));
        } catch (err) {
          results.replaceChildren(h('li', { class: 'error' }, `Could not search: ${err.message}`));
        }
      }, 250);
    });
    controls.replaceChildren(
      h('h2', { id: 'ticket-controls-title' }, 'Work on it'),
      form, error,
      h('div', { class: 'stack ticket-assign' },
        h('div', { class: 'row' },
          mine ? null : h('button', { type: 'button', class: 'quiet', onclick: () => assignTo(account) }, 'Assign to me'),
          t.assignee ? h('button', { type: 'button', class: 'quiet', onclick: () => assignTo(null) }, 'Unassign') : null),
        h('div', { class: 'field' }, h('label', { for: 'tc-assign' }, 'Assign to someone on the service team'), search),
        results, assignError));
  }

  function drawThread(rootStatus, descendants) {
    const depth = new Map([[rootStatus.id, 0]]);
    const items = descendants.map((s) => {
      const d = Math.min(MAX_DEPTH, (depth.get(s.in_reply_to_id) ?? 0) + 1);
      depth.set(s.id, d);
      if (s.partyline?.system) return logLine(s);
      const li = statusCard(s, { onReply: reload });
      li.classList.add(`depth-${d}`);
      if ((s.partyline?.audience ?? s.visibility) === 'internal') {
        li.classList.add('internal-note');
        li.querySelector('article')?.prepend(h('p', { class: 'internal-label' }, 'Internal note — service team only'));
      }
      return li;
    });
    const rootCard = statusCard(rootStatus, { focus: true, onReply: reload });
    rootCard.querySelector('.ticket-badge')?.remove(); // it would link to this very page
    thread.replaceChildren(rootCard, ...items);
  }

  function drawReply(rootStatus) {
    const form = composeForm({
      replyTo: rootStatus,
      label: 'Reply to the ticket',
      onPosted: reload,
      also: team.on
        ? { label: 'Add internal note', extra: { visibility: 'internal' }, hint: 'An internal note is seen by the service team only.' }
        : null,
    });
    replyArea.replaceChildren(h('h2', { id: 'ticket-reply-title' }, 'Reply'), form);
  }

  load();
  return () => { gone = true; off(); };
}
