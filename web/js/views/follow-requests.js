// views/follow-requests.js — #/follow-requests: the people who asked to follow you while
// you approve followers (a locked account), each with Accept and Reject.

import { api } from '../api.js';
import { h, toast } from '../dom.js';
import { accountList, displayName } from '../people.js';

export const title = 'Follow requests';

export function render(root) {
  root.append(h('h1', {}, 'Follow requests'),
    h('p', {}, h('a', { href: '#/profile' }, 'Back to your profile')),
    accountList({
      path: '/api/v1/follow_requests',
      label: 'Follow requests',
      empty: 'Nobody is waiting for your answer.',
      actions: (a, li) => requestActions(a, li),
    }));
}

/** Accept and Reject for one request; the row says the outcome. Used by notifications too. */
export function requestActions(a, row) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const answer = async (what) => {
    error.hidden = true;
    for (const b of buttons) b.disabled = true;
    try {
      await api(`/api/v1/follow_requests/${encodeURIComponent(a.id)}/${what}`, { method: 'POST' });
      const done = what === 'authorize' ? `${displayName(a)} now follows you.` : `You turned down ${displayName(a)}.`;
      const out = h('p', { class: 'muted', tabindex: '-1' }, done);
      buttons[0].parentElement.replaceWith(out);
      out.focus();
      toast(done);
    } catch (e) {
      if (e.status === 404) {
        // answered meanwhile (another tab, a phone app) or withdrawn: nothing is left to do,
        // and the server's "Record not found" would read like a failure
        const out = h('p', { class: 'muted', tabindex: '-1' },
          'This request was already answered (or withdrawn): there is nothing left to do here.');
        buttons[0].parentElement.replaceWith(out);
        out.focus();
        return;
      }
      error.textContent = `That did not work: ${e.message} Try again.`;
      error.hidden = false;
      for (const b of buttons) b.disabled = false;
    }
  };
  const buttons = [
    h('button', { type: 'button', onclick: () => answer('authorize'), 'aria-label': `Accept ${displayName(a)}` }, 'Accept'),
    h('button', { type: 'button', class: 'quiet', onclick: () => answer('reject'), 'aria-label': `Reject ${displayName(a)}` }, 'Reject'),
  ];
  return [h('div', { class: 'row' }, buttons), error];
}
