// views/tickets.js — the ticket queue, "#/tickets[/<filters>]" (issue 16, C13): the tickets
// one may see (GET /api/v1/partyline/tickets: the service team all of them, anyone else those
// they asked), newest first, each with its title (its root's first line), state, priority,
// requester, assignee, team, age and due times, a missed target marked "Breached". The filters
// are the API's — Mine (assignee=me), My team (team=<one's team>), Breaching, a state and a
// priority — kept in the address as a query (`#/tickets/assignee=me&state=new`), so a reload,
// Back or a shared link shows the same queue; a change is pushed without a redraw, so focus
// stays on the control. Paging by the Link header (paged.js). "New ticket" opens the form.

import { h } from '../dom.js';
import { me } from '../me.js';
import { pagedList } from '../paged.js';
import {
  breaches, dueLines, PRIORITIES, priorityTag, serviceTeam, STATES, stateTag, timeFromNow,
} from '../tickets.js';

export const title = 'Tickets';

const KEYS = ['assignee', 'team', 'breaching', 'state', 'priority'];

/** The filters of an address's argument, only the keys and values the API knows. */
function parseFilters(arg) {
  const q = new URLSearchParams(arg ?? '');
  const f = {};
  if (q.get('assignee') === 'me') f.assignee = 'me';
  if (q.get('team')) f.team = q.get('team');
  if (q.get('breaching') === 'true') f.breaching = 'true';
  if (STATES[q.get('state')]) f.state = q.get('state');
  if (PRIORITIES[q.get('priority')]) f.priority = q.get('priority');
  return f;
}

const addressOf = (f) => {
  const q = new URLSearchParams(KEYS.filter((k) => f[k]).map((k) => [k, f[k]])).toString();
  return q ? `#/tickets/${q}` : '#/tickets';
};

const who = (a) => (a ? h('a', { href: `#/profile/${encodeURIComponent(a.id)}` }, a.display_name || a.username) : null);

function ticketRow(t) {
  // the title is its root's first line (Ticket.title); a root deleted since has none
  const name = h('a', { href: `#/ticket/${encodeURIComponent(t.id)}` }, t.title || `Ticket ${t.id.slice(-6)}`);
  const b = breaches(t);
  return h('li', { class: `card ticket-row${b.response || b.resolution ? ' breaching' : ''}`, 'data-id': t.id },
    h('h2', {}, name),
    h('p', { class: 'ticket-tags' }, stateTag(t.state), ' ', priorityTag(t.priority),
      t.team ? [' ', h('span', { class: 'tag' }, `Team: ${t.team}`)] : null,
      b.response || b.resolution ? [' ', h('span', { class: 'tag private' }, 'Breaching')] : null),
    h('p', { class: 'muted' },
      'Asked by ', who(t.requester) ?? 'someone no longer here', ' · opened ', timeFromNow(t.created_at), ' · ',
      t.assignee ? ['assigned to ', who(t.assignee)] : 'unassigned'),
    h('ul', { class: 'ticket-due', 'aria-label': 'Due' }, dueLines(t)));
}

export function render(root, { args }) {
  let f = parseFilters(args[0]);
  const heading = h('h1', {}, 'Tickets');
  const newLink = h('a', { class: 'button', href: '#/ticket/new' }, 'New ticket');
  const scope = h('p', { class: 'lede' });
  const filters = h('form', { class: 'ticket-filters card', 'aria-label': 'Filter tickets' });
  const list = h('ul', { class: 'ticket-list', 'aria-label': 'Tickets' });
  const area = h('div', {});
  root.append(h('div', { class: 'title-row' }, heading, newLink), scope, filters, area);
  let gone = false;

  function showList() {
    list.replaceChildren();
    const params = { ...f };
    const p = pagedList({
      list, path: '/api/v1/partyline/tickets', params, limit: 20, row: ticketRow, what: 'the tickets',
      empty: Object.keys(f).length ? 'No ticket matches these filters.' : 'No tickets yet.',
    });
    area.replaceChildren(list, p.state, p.moreRow);
  }

  function apply(next) {
    f = next;
    history.pushState(null, '', addressOf(f));
    showList();
  }

  function drawFilters(team) {
    const check = (key, value, label, hint) => {
      const id = `tf-${key}`;
      const box = h('input', { type: 'checkbox', id, checked: f[key] === value, 'aria-describedby': `${id}-hint` });
      box.addEventListener('change', () => {
        const next = { ...f };
        if (box.checked) next[key] = value;
        else delete next[key];
        apply(next);
      });
      return h('div', { class: 'check' }, box, h('label', { for: id }, label), h('p', { class: 'hint', id: `${id}-hint` }, hint));
    };
    const select = (key, label, names, all) => {
      const id = `tf-${key}`;
      const sel = h('select', { id },
        h('option', { value: '' }, all),
        Object.entries(names).map(([v, text]) => h('option', { value: v, selected: f[key] === v }, text)));
      sel.addEventListener('change', () => {
        const next = { ...f };
        if (sel.value) next[key] = sel.value;
        else delete next[key];
        apply(next);
      });
      return h('div', { class: 'field' }, h('label', { for: id }, label), sel);
    };
    // the team's filters; anyone else's queue is their own tickets already
    const checks = team.on && h('div', { class: 'ticket-filter-checks' },
      check('assignee', 'me', 'Mine', 'Assigned to me'),
      team.team && check('team', team.team, 'My team', `Team ${team.team}`),
      check('breaching', 'true', 'Breaching', 'Past a response or resolution target'));
    filters.replaceChildren(...[checks, h('div', { class: 'ticket-filter-selects' },
      select('state', 'State', STATES, 'Any state'),
      select('priority', 'Priority', PRIORITIES, 'Any priority'))].filter(Boolean));
  }

  me().then((account) => {
    if (gone) return;
    const team = serviceTeam(account);
    scope.textContent = team.on
      ? `You are on the service team${team.team ? ` (${team.team})` : ''}: every ticket is here.`
      : 'The tickets you asked for. The service team answers them here and in their threads.';
    drawFilters(team);
  }, () => { drawFilters({ on: false }); });
  showList();
  return () => { gone = true; };
}
