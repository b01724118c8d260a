// views/alert.js — one alert, "#/alert/<id>" (issue 16, C12; docs/api.md "Listening"): what
// jumped, by how much against which baseline, in words ("9 posts in 15 minutes; usually 2 at
// this hour"), its window, its watch, and its posts as status cards (GET …/watches/alerts/:id,
// the window's matches the owner may see). A member of the service team may turn it into a
// ticket (POST /api/v1/partyline/tickets {alert_id}, then the ticket's page); one that has a
// ticket links to it. Another person's alert is the API's 404, said as such.

import { api } from '../api.js';
import { h } from '../dom.js';
import { alertWords, W, when } from '../listening.js';
import { me } from '../me.js';
import { statusCard } from '../status.js';
import { onServiceTeam } from '../tickets.js';

export const title = 'Alert';

export function render(root, { args, navigate }) {
  const id = args[0] ?? '';
  let gone = false;
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading the alert…');
  root.append(h('h1', {}, 'Alert'), state);

  function notFound() {
    document.title = 'Alert not found · partyline';
    root.replaceChildren(h('h1', {}, 'Alert not found'),
      h('p', { class: 'empty' }, 'This alert does not exist or is not yours. ', h('a', { href: '#/alerts' }, 'Go to your alerts.')));
  }

  function ticketPart(a, team) {
    if (a.ticket_id) {
      return h('p', {}, h('a', { href: `#/ticket/${encodeURIComponent(a.ticket_id)}` }, 'Open its ticket'));
    }
    if (!team) return null;
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const b = h('button', { type: 'button' }, 'Turn this alert into a ticket');
    b.addEventListener('click', async () => {
      b.disabled = true;
      error.hidden = true;
      try {
        const { data } = await api('/api/v1/partyline/tickets', { json: { alert_id: a.id } });
        navigate(`#/ticket/${encodeURIComponent(data.id)}`);
      } catch (err) {
        if (gone) return;
        error.textContent = `The alert did not become a ticket: ${err.message}`;
        error.hidden = false;
        b.disabled = false;
      }
    });
    return h('div', { class: 'row' }, b, error);
  }

  (async () => {
    try {
      if (!/^\d+$/.test(id)) throw Object.assign(new Error('Record not found'), { status: 404 });
      const [{ data: a }, account] = await Promise.all([api(`${W}/alerts/${encodeURIComponent(id)}`), me().catch(() => null)]);
      if (gone) return;
      const words = alertWords(a);
      document.title = `Alert: ${a.watch_title} · partyline`;
      const statuses = a.statuses ?? [];
      root.replaceChildren(
        h('h1', {}, `Alert: ${a.watch_title}`),
        h('section', { class: 'card alert-facts', 'aria-label': 'What jumped' },
          h('p', { class: 'alert-headline' }, words.headline),
          h('p', {}, words.detail),
          h('p', { class: 'muted' }, 'From ', when(a.window_start), ' to ', when(a.window_end), ' · ',
            h('a', { href: `#/watch/${encodeURIComponent(a.watch_id)}` }, `The watch “${a.watch_title}”`)),
          ticketPart(a, onServiceTeam(account))),
        h('h2', { id: 'alert-posts-h' }, 'Its posts'),
        statuses.length
          ? h('ol', { class: 'feed', 'aria-labelledby': 'alert-posts-h' }, statuses.map((s) => statusCard(s)))
          : h('p', { class: 'empty' }, 'None of its posts may be seen any more.'));
    } catch (err) {
      if (gone) return;
      if (err.status === 404) notFound();
      else {
        state.className = 'error';
        state.textContent = `Could not read this alert: ${err.message}`;
      }
    }
  })();
  return () => { gone = true; };
}
