// tickets.js — what the ticket screens and post cards share (issue 16, C13; docs/api.md
// "Tickets"): the names of states and priorities, the moves the server's table allows, whether
// the signed-in person is on the service team (verify_credentials' partyline.service_team),
// a ticket's SLA in words, the badge a ticket's root post carries, and "Turn into ticket".
//
//   onServiceTeam(account)          true for a member of the service team
//   ticketBadge(status)             the root's small link to its ticket, or null
//   turnIntoTicket(st, ctx)         the action bar's button (team members, posts the API allows)

import { api } from './api.js';
import { h, serverHtml, toast } from './dom.js';

export const STATES = {
  new: 'New', in_progress: 'In progress', on_hold: 'On hold', resolved: 'Resolved', closed: 'Closed',
};
export const PRIORITIES = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

/** The moves of the server's table (src/app/tickets.h tickets_may_move): from → [to…]. */
export const MOVES = {
  new: ['in_progress', 'on_hold', 'resolved', 'closed'],
  in_progress: ['on_hold', 'resolved', 'closed'],
  on_hold: ['in_progress', 'resolved', 'closed'],
  resolved: ['in_progress', 'closed'],
  closed: ['in_progress'],
};

/** A move's name for a button or option: going back to work is a reopen. */
export function moveName(from, to) {
  if (to === 'in_progress' && (from === 'resolved' || from === 'closed')) return 'Reopen (in progress)';
  return STATES[to] ?? to;
}

export const isOpen = (t) => t.state !== 'resolved' && t.state !== 'closed';

/** The signed-in person's service team membership: {on, team} (verify_credentials). */
export function serviceTeam(account) {
  const t = account?.partyline?.service_team;
  return { on: !!t?.on, team: t?.team ?? null };
}
export const onServiceTeam = (account) => serviceTeam(account).on;

/** Which targets a ticket has missed now, as the server's breaching filter counts them. */
export function breaches(t, now = Date.now()) {
  if (!isOpen(t)) return { response: false, resolution: false };
  return {
    response: !t.first_response_at && Date.parse(t.response_due_at) < now,
    resolution: Date.parse(t.resolution_due_at) < now,
  };
}

const rel = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
/** "3 hours ago", "in 2 days": a time against now, in the largest unit that fits. */
export function fromNow(iso, now = Date.now()) {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const a = Math.abs(s);
  if (a < 60) return rel.format(s, 'second');
  if (a < 3600) return rel.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rel.format(Math.round(s / 3600), 'hour');
  return rel.format(Math.round(s / 86400), 'day');
}

const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** A <time> saying how far away, its full date as its title. */
export function timeFromNow(iso) {
  return h('time', { datetime: iso, title: fullFmt.format(new Date(iso)) }, fromNow(iso));
}

export function stateTag(state) {
  return h('span', { class: `tag ticket-state st-${state}` }, STATES[state] ?? state);
}
export function priorityTag(priority) {
  return h('span', { class: `tag ticket-priority pr-${priority}` }, `${PRIORITIES[priority] ?? priority} priority`);
}

/**
 * The due times of a ticket as a list of lines: when the first answer and the resolution are
 * due (or came), each missed one marked "Breached".
 */
export function dueLines(t) {
  const b = breaches(t);
  const line = (what, iso, breached) => h('li', { class: breached ? 'breached' : null },
    `${what} `, timeFromNow(iso), breached ? [' ', h('strong', { class: 'tag private' }, 'Breached')] : null);
  const items = [];
  if (t.first_response_at) items.push(h('li', {}, 'First answer ', timeFromNow(t.first_response_at)));
  else if (isOpen(t)) items.push(line(b.response ? 'An answer was due' : 'An answer is due', t.response_due_at, b.response));
  if (t.resolved_at && !isOpen(t)) items.push(h('li', {}, 'Resolved ', timeFromNow(t.resolved_at)));
  else if (isOpen(t)) items.push(line(b.resolution ? 'Resolution was due' : 'Resolution is due', t.resolution_due_at, b.resolution));
  return items;
}

/** A Status's first line as plain text (a form ticket's title), at most max characters. */
export function firstLine(status, max = 90) {
  const div = serverHtml('div', {}, status?.content ?? ''); // only read as text, never attached
  const first = div.querySelector('p') ?? div;
  for (const br of first.querySelectorAll('br')) br.replaceWith('\n');
  const text = (first.textContent ?? '').split('\n')[0].trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The small badge of a ticket's root post, for everyone who sees the post; null on others. */
export function ticketBadge(st) {
  const t = st.partyline?.ticket;
  if (!t) return null;
  const state = STATES[t.state] ?? t.state;
  const priority = PRIORITIES[t.priority] ?? t.priority;
  // its name is what it shows ("Ticket New · High priority"), as voice control needs
  return h('a', { class: `ticket-badge st-${t.state}`, href: `#/ticket/${encodeURIComponent(t.id)}` },
    h('span', { class: 'ticket-badge-kind' }, 'Ticket'), ` ${state} · ${priority} priority`);
}

// posts that every member may read: the API turns only those into tickets
const TURNABLE = new Set(['public', 'unlisted', 'company']);

/** May "Turn into ticket" be offered on st (the post, not a boost wrapper)? A channel's post
 *  also needs its channel not private (actions.js asks channelInfo). */
export function mayTurn(st, boosted) {
  const audience = st.partyline?.audience ?? st.visibility;
  return !boosted && !st.reblog && !st.partyline?.ticket_id && TURNABLE.has(audience);
}

/** The action bar's "Turn into ticket": POST {status_id}, then the ticket's page. */
export function turnIntoTicket(st) {
  const b = h('button', { type: 'button', class: 'act', 'data-act': 'ticket' }, 'Turn into ticket');
  b.addEventListener('click', async () => {
    if (b.getAttribute('aria-busy') === 'true') return;
    b.setAttribute('aria-busy', 'true');
    try {
      const { data } = await api('/api/v1/partyline/tickets', { json: { status_id: st.id } });
      location.hash = `#/ticket/${encodeURIComponent(data.id)}`;
    } catch (err) {
      toast(`This post did not become a ticket: ${err.message}`, 8000);
    } finally {
      b.removeAttribute('aria-busy');
    }
  });
  return b;
}
