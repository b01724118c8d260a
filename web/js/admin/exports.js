// admin/exports.js — compliance exports in the administration area (views/admin.js;
// administrators only, as the server says too): the form that asks for one (POST
// /api/v1/partyline/admin/exports: a date range, and optionally people, channels and words, as
// the API takes them), and the list with each one's state, counts and size. The server builds
// an export in the background: a row that is waiting or building asks again until it is done.
// Its download needs the area's token (unlike one's own archive, whose signed address a plain
// link opens), so Download fetches the zip with it and hands the browser the file.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { pagedList } from '../paged.js';
import { session } from '../session.js';
import { accountLink, sizeText, when } from './common.js';

const EXPORTS = '/api/v1/partyline/admin/exports';
const POLL_MS = 1500;
const STATE = {
  waiting: 'Waiting', building: 'Being made', ready: 'Ready', failed: 'Failed', expired: 'Expired',
};

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const words = (s) => s.split(/[\s,]+/).map((w) => w.replace(/^[@#]/, '')).filter(Boolean);

export function exportsSection() {
  const results = h('div', {});
  function load() {
    const list = h('ul', { class: 'admin-list', 'aria-label': 'Compliance exports' });
    const p = pagedList({
      list, path: EXPORTS, what: 'the exports', apiOpts: { admin: true },
      row: exportRow, empty: 'No export has been made yet.',
    });
    results.replaceChildren(list, p.state, p.moreRow);
  }

  const field = (input, label, hint) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input,
    hint ? h('span', { class: 'hint', id: `${input.id}-hint` }, hint) : null);
  const since = h('input', { id: 'export-since', name: 'since', type: 'date', required: true });
  const until = h('input', { id: 'export-until', name: 'until', type: 'date', required: true });
  const people = h('input', { id: 'export-people', name: 'usernames', autocomplete: 'off', 'aria-describedby': 'export-people-hint' });
  const channels = h('input', { id: 'export-channels', name: 'channels', autocomplete: 'off', 'aria-describedby': 'export-channels-hint' });
  const text = h('input', { id: 'export-words', name: 'words', autocomplete: 'off', 'aria-describedby': 'export-words-hint' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const make = h('button', { type: 'submit' }, 'Make the export');
  const form = h('form', { class: 'card admin-filters', 'aria-label': 'Make a compliance export' },
    field(since, 'From'), field(until, 'Until (included)'),
    field(people, 'People', 'usernames, space-separated; none: everyone'),
    field(channels, 'Channels', 'channel names; none: anywhere'),
    field(text, 'Words', 'every one of them; none: any post'),
    error, h('div', { class: 'actions' }, make));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    make.disabled = true;
    try {
      const json = { since: since.value, until: until.value };
      if (words(people.value).length) json.usernames = words(people.value);
      if (words(channels.value).length) json.channels = words(channels.value);
      if (text.value.trim()) json.words = text.value.trim();
      await api(EXPORTS, { json, admin: true });
      load();
    } catch (err) {
      error.textContent = `No export was made: ${err.message}`;
      error.hidden = false;
    } finally {
      make.disabled = false;
    }
  });
  load();
  return h('section', { 'aria-label': 'Exports' },
    h('p', {}, 'A compliance export is a zip of every post, direct message and file that matches, over a range of ',
      'at most 366 days, with a manifest and checksums. Making one and each download are in the audit log. ',
      'It is kept for a week.'),
    form, results);
}

function exportRow(x) {
  const li = h('li', { class: 'card admin-export', 'data-id': x.id });
  draw(li, x);
  return li;
}

/** Draws export x into li; while the server is making it, asks again until it is done. */
function draw(li, x) {
  const q = x.query ?? {};
  const making = x.state === 'waiting' || x.state === 'building';
  const of = [];
  if (q.usernames) of.push(`by ${q.usernames.split(' ').map((n) => `@${n}`).join(', ')}`);
  if (q.channels) of.push(`in ${q.channels.split(' ').map((n) => `#${n}`).join(', ')}`);
  if (q.words) of.push(`with the words “${q.words}”`);
  const c = x.counts ?? {};
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  li.replaceChildren(
    h('h2', {}, `${day.format(new Date(q.since))} to ${day.format(new Date(q.until))}`, ' ',
      h('span', { class: `tag ${x.state === 'failed' ? 'private' : ''}` }, STATE[x.state] ?? x.state)),
    h('p', {}, of.length ? `Posts ${of.join(', ')}.` : 'Every post.'),
    h('p', { class: 'muted' }, 'Asked by ', x.requested_by ? accountLink(x.requested_by) : 'the command line', ' · ',
      h('time', { datetime: x.created_at }, when(x.created_at))),
    x.state === 'ready' ? h('p', {},
      `${c.posts} posts (${c.direct} direct messages), ${c.files} files · ${sizeText(x.size)} · kept until `,
      h('time', { datetime: x.expires_at }, when(x.expires_at))) : null,
    x.state === 'failed' ? h('p', { class: 'error' }, `It could not be made: ${x.error ?? 'an error'}.`) : null,
    error,
    x.state === 'ready' ? h('div', { class: 'actions' }, downloadButton(x, error)) : null);
  li.setAttribute('aria-busy', making ? 'true' : 'false');
  if (!making) return;
  setTimeout(async () => {
    if (!li.isConnected) return;
    try {
      const { data } = await api(`${EXPORTS}/${encodeURIComponent(x.id)}`, { admin: true });
      draw(li, data);
    } catch (e) {
      error.textContent = `Could not ask how the export is going: ${e.message}`;
      error.hidden = false;
    }
  }, POLL_MS);
}

/** Download: the zip fetched with the area's token, then saved by the browser. */
function downloadButton(x, error) {
  const b = h('button', { type: 'button' }, 'Download');
  b.addEventListener('click', async () => {
    error.hidden = true;
    b.disabled = true;
    try {
      const res = await fetch(x.url, { headers: { Authorization: `Bearer ${session.adminToken()}` } });
      if (!res.ok) {
        const why = await res.json().then((d) => d?.error, () => null);
        if (res.status === 401) session.adminExpired();
        throw new ApiError(res.status, why ?? `The server answered ${res.status}.`);
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `export-${x.id}.zip`;
      const href = URL.createObjectURL(await res.blob());
      const a = h('a', { href, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    } catch (e) {
      error.textContent = `The download did not work: ${e.message}`;
      error.hidden = false;
    } finally {
      b.disabled = false;
    }
  });
  return b;
}
