// pollform.js — the poll part of the compose form: 2 to the server's max_options choices
// (each up to max_characters_per_option), how long it runs (within min_expiration and
// max_expiration) and whether people may pick several — all from /api/v2/instance
// configuration.polls, so the form never offers what the server would refuse.
//
//   const p = pollEditor({ limits, poll });   // poll: an existing Poll when editing
//   p.el, p.body() → { options, expires_in, multiple } or null when no poll is wanted
//   p.draft() → the same as typed (empty choices too) or null; p.restore(d) puts it back

import { h } from './dom.js';

let seq = 0;
const LENGTHS = [
  [300, '5 minutes'], [1800, '30 minutes'], [3600, '1 hour'], [21600, '6 hours'],
  [86400, '1 day'], [259200, '3 days'], [604800, '7 days'], [2592000, '30 days'],
];

export function pollEditor({ limits = () => ({}), poll = null } = {}) {
  const id = `poll-${++seq}`;
  // the limits are read when used: the instance answer may come after the form is built
  const lim = () => {
    const l = limits() ?? {};
    return {
      maxOptions: l.max_options ?? 4, maxChars: l.max_characters_per_option ?? 50,
      minExp: l.min_expiration ?? 300, maxExp: l.max_expiration ?? 2629746,
    };
  };

  const toggle = h('button', { type: 'button', class: 'quiet', 'aria-expanded': 'false', 'aria-controls': id }, 'Add a poll');
  const options = h('ol', { class: 'poll-options' });
  const addOption = h('button', { type: 'button', class: 'quiet' }, 'Add a choice');
  const length = h('select', { id: `${id}-len` });
  function fillLengths() {
    const { minExp, maxExp } = lim();
    const keep = length.value;
    const lengths = LENGTHS.filter(([s]) => s >= minExp && s <= maxExp);
    if (poll && !poll.expired) {
      // keeping the end it has: what is left of it, within the server's bounds
      const left = Math.round((Date.parse(poll.expires_at) - Date.now()) / 1000);
      lengths.unshift([Math.min(maxExp, Math.max(minExp, left)), 'Keep the current end']);
    }
    if (!lengths.length) lengths.push([minExp, `${Math.round(minExp / 60)} minutes`]);
    length.replaceChildren(...lengths.map(([s, label]) => h('option', { value: s }, label)));
    const day = lengths.find(([s]) => s === 86400);
    length.value = keep && lengths.some(([s]) => String(s) === keep) ? keep
      : String(poll ? lengths[0][0] : (day ?? lengths[0])[0]);
  }
  fillLengths();
  const multiple = h('input', { type: 'checkbox', id: `${id}-multi`, checked: !!poll?.multiple });
  const fields = h('fieldset', { id, class: 'poll-editor', hidden: true },
    h('legend', {}, 'Poll'),
    poll && h('p', { class: 'hint' }, 'Changing the choices, or allowing more than one, clears the votes so far.'),
    options,
    addOption,
    h('div', { class: 'field' }, h('label', { for: length.id }, 'Poll length'), length),
    h('div', { class: 'check' }, multiple, h('label', { for: multiple.id }, 'People may choose more than one')));

  function renumber() {
    const rows = [...options.children];
    rows.forEach((row, i) => {
      row.querySelector('label').textContent = `Choice ${i + 1}`;
      row.querySelector('button').setAttribute('aria-label', `Remove choice ${i + 1}`);
      row.querySelector('button').hidden = rows.length <= 2;
    });
    addOption.hidden = rows.length >= lim().maxOptions;
  }

  function addRow(value = '') {
    const n = ++seq;
    const input = h('input', { type: 'text', id: `${id}-opt-${n}`, maxlength: lim().maxChars, value });
    const remove = h('button', { type: 'button', class: 'quiet remove' }, '✕');
    const row = h('li', {}, h('label', { for: input.id }, 'Choice'), input, remove);
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling ?? row.previousElementSibling;
      row.remove();
      renumber();
      next?.querySelector('input').focus();
    });
    options.append(row);
    renumber();
    return input;
  }

  const initial = poll ? poll.options.map((o) => o.title) : ['', ''];
  for (const t of initial) addRow(t);
  addOption.addEventListener('click', () => addRow().focus());

  function setOpen(open) {
    if (open) {
      fillLengths();
      for (const i of options.querySelectorAll('input')) i.maxLength = lim().maxChars;
      renumber();
    }
    fields.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Remove the poll' : 'Add a poll';
  }
  toggle.addEventListener('click', () => {
    setOpen(fields.hidden);
    if (!fields.hidden) options.querySelector('input').focus();
  });
  if (poll) setOpen(true);

  return {
    toggle,
    el: fields,
    /** The poll to send, or null; throws an Error a person can read if it is incomplete. */
    body() {
      if (fields.hidden) return null;
      const titles = [...options.querySelectorAll('input')].map((i) => i.value.trim());
      if (titles.some((t) => !t)) throw new Error('Every poll choice needs some text (or remove the empty one).');
      return { options: titles, expires_in: Number(length.value), multiple: multiple.checked };
    },
    /** The poll as it stands, unchecked (a draft may have empty choices), or null. */
    draft() {
      if (fields.hidden) return null;
      const titles = [...options.querySelectorAll('input')].map((i) => i.value);
      return { options: titles, expires_in: Number(length.value), multiple: multiple.checked };
    },
    /** Opens the poll with a draft's choices (as many as the server allows). */
    restore(d) {
      if (!d || !Array.isArray(d.options)) return;
      options.replaceChildren();
      const titles = d.options.slice(0, lim().maxOptions).map((t) => String(t ?? ''));
      while (titles.length < 2) titles.push('');
      for (const t of titles) addRow(t);
      multiple.checked = !!d.multiple;
      setOpen(true);
      if ([...length.options].some((o) => o.value === String(d.expires_in))) length.value = String(d.expires_in);
    },
    reset() {
      options.replaceChildren();
      addRow(); addRow();
      multiple.checked = false;
      setOpen(false);
    },
  };
}
