// poll.js — a post's poll on its card: the choices to vote on (radio buttons, or check
// boxes for a multiple-choice poll) until one has voted or it ended, then the results with
// each choice's share. Voting is POST /api/v1/polls/:id/votes; its answer redraws the poll.

import { api } from './api.js';
import { h } from './dom.js';

let seq = 0;
const endFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function footer(poll) {
  const people = poll.voters_count ?? poll.votes_count;
  const end = poll.expired ? 'Ended' : `Ends ${endFmt.format(new Date(poll.expires_at))}`;
  return h('p', { class: 'poll-meta' }, `${people} ${people === 1 ? 'vote' : 'votes'} · ${end}`);
}

function results(poll) {
  const total = poll.multiple ? (poll.voters_count ?? poll.votes_count) : poll.votes_count;
  const mine = new Set(poll.own_votes ?? []);
  return h('div', { class: 'poll' },
    h('ul', { class: 'poll-results' }, poll.options.map((o, i) => {
      const known = o.votes_count != null;
      const pct = known && total ? Math.round((o.votes_count / total) * 100) : 0;
      return h('li', {},
        h('span', { class: 'poll-choice' }, o.title, mine.has(i) && h('span', { class: 'own-vote' }, ' (your vote)')),
        h('span', { class: 'poll-pct' }, known ? `${pct}%` : ''),
        known && h('progress', { max: 100, value: pct, 'aria-hidden': 'true' }));
    })),
    footer(poll));
}

/** The poll of a status as an element that redraws itself after a vote. */
export function pollView(poll) {
  const box = h('div', { class: 'poll-box' });
  draw(box, poll);
  return box;
}

function draw(box, poll) {
  if (poll.voted || poll.expired) {
    box.replaceChildren(results(poll));
    return;
  }
  const name = `poll-${poll.id}-${++seq}`;
  const type = poll.multiple ? 'checkbox' : 'radio';
  const inputs = poll.options.map((o, i) => h('input', { type, name, value: i, id: `${name}-${i}` }));
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const vote = h('button', { type: 'submit' }, 'Vote');
  const form = h('form', { class: 'poll' },
    h('fieldset', {},
      h('legend', {}, poll.multiple ? 'Poll: choose one or more' : 'Poll: choose one'),
      poll.options.map((o, i) => h('div', { class: 'check' }, inputs[i], h('label', { for: inputs[i].id }, o.title)))),
    h('div', { class: 'row' }, footer(poll), vote),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const choices = inputs.filter((i) => i.checked).map((i) => i.value);
    error.hidden = true;
    if (!choices.length) {
      error.textContent = 'Choose an answer first, then vote.';
      error.hidden = false;
      return;
    }
    vote.disabled = true;
    try {
      const { data } = await api(`/api/v1/polls/${encodeURIComponent(poll.id)}/votes`, { json: { choices } });
      draw(box, data);
      box.querySelector('.poll-results')?.setAttribute('tabindex', '-1');
      box.querySelector('.poll-results')?.focus();
    } catch (err) {
      error.textContent = `Your vote was not counted: ${err.message}`;
      error.hidden = false;
      vote.disabled = false;
    }
  });
  box.replaceChildren(form);
}
