// views/filters.js — #/filters: one's filters (Mastodon's v2 filters, "muted words"): each a
// title, keywords (whole word or anywhere in a word), the places it applies (home and lists,
// notifications, public timelines, threads, profiles), what it does (fold the post behind
// "Filtered: <title>", or hide it) and until when. #/filters/new and #/filters/<id> are the
// form, as Mastodon's web settings have it; saving sends the whole filter at once
// (keywords_attributes with _destroy for removed ones), so a failed save changes nothing.
// status.js applies the result to every card (Status.filtered).

import { api } from '../api.js';
import { confirmInline } from '../confirm.js';
import { h, toast } from '../dom.js';

export const title = 'Filters';

const CONTEXTS = [
  ['home', 'Home and lists'],
  ['notifications', 'Notifications'],
  ['public', 'Public timelines'],
  ['thread', 'Conversations (threads)'],
  ['account', 'Profiles'],
];
const ACTIONS = [
  ['warn', 'Fold behind a warning', 'The post shows as “Filtered: title”, with Show anyway.'],
  ['hide', 'Hide completely', 'The post is left out, as if it did not exist.'],
];
const EXPIRIES = [
  ['', 'Never'],
  ['1800', '30 minutes'],
  ['3600', '1 hour'],
  ['21600', '6 hours'],
  ['43200', '12 hours'],
  ['86400', '1 day'],
  ['604800', '1 week'],
];
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const contextName = (c) => CONTEXTS.find(([k]) => k === c)?.[1] ?? c;

export function render(root, { args, navigate }) {
  if (args[0] === 'new') return renderForm(root, { navigate, id: null });
  if (args[0]) return renderForm(root, { navigate, id: args[0] });
  return renderList(root);
}

// ---- the list ---------------------------------------------------------------------------

function renderList(root) {
  const list = h('ul', { class: 'filter-list', 'aria-label': 'Your filters' });
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  root.append(
    h('div', { class: 'title-row' }, h('h1', {}, 'Filters'), h('a', { class: 'button', href: '#/filters/new' }, 'New filter')),
    h('p', { class: 'hint' }, 'Muted words: posts with these words are folded behind a warning, or hidden, in the places you choose. Only you see your filters.'),
    state, list);
  api('/api/v2/filters').then(({ data }) => {
    state.textContent = data.length ? '' : 'No filters yet. Add one to fold or hide posts with words you would rather not read.';
    for (const f of data) list.append(filterRow(f, list, state));
  }).catch((e) => {
    state.className = 'error';
    state.textContent = `Could not load your filters: ${e.message} Reload the page to try again.`;
  });
}

function filterRow(f, list, state) {
  const expired = f.expires_at && Date.parse(f.expires_at) <= Date.now();
  const del = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete the filter ${f.title}` }, 'Delete');
  const li = h('li', { class: 'card filter' },
    h('h2', {}, f.title),
    f.keywords.length
      ? h('ul', { class: 'chips', 'aria-label': `Keywords of ${f.title}` },
        f.keywords.map((k) => h('li', {}, k.keyword, k.whole_word ? '' : h('span', { class: 'muted' }, ' (within words)'))))
      : h('p', { class: 'muted' }, 'No keywords.'),
    h('p', {}, h('span', { class: 'muted' }, 'In: '), f.context.map(contextName).join(', ')),
    h('p', {}, h('span', { class: 'muted' }, 'Does: '), { hide: 'hides the posts', blur: 'blurs pictures and files (other apps); folds the posts here' }[f.filter_action] ?? 'folds the posts behind a warning'),
    h('p', { class: expired ? 'error' : 'muted' },
      !f.expires_at ? 'Never expires.' : `${expired ? 'Expired' : 'Expires'} ${dateFmt.format(new Date(f.expires_at))}.`),
    h('div', { class: 'row' },
      h('a', { class: 'button quiet', href: `#/filters/${encodeURIComponent(f.id)}`, 'aria-label': `Edit the filter ${f.title}` }, 'Edit'),
      del));
  del.addEventListener('click', () => confirmInline(del, {
    question: `Delete the filter “${f.title}”?`,
    yes: 'Delete',
    fail: 'The filter was not deleted',
    onYes: async () => {
      await api(`/api/v2/filters/${encodeURIComponent(f.id)}`, { method: 'DELETE' });
      const next = li.nextElementSibling ?? li.previousElementSibling;
      li.remove();
      toast(`The filter “${f.title}” is deleted.`);
      if (!list.children.length) state.textContent = 'No filters yet. Add one to fold or hide posts with words you would rather not read.';
      (next?.querySelector('a, button') ?? document.querySelector('.title-row a'))?.focus();
    },
  }));
  return li;
}

// ---- the form ---------------------------------------------------------------------------

let keywordSeq = 0;

/** A keyword's row; setNumber(n) names its fields "Keyword n" (rows renumber on removal). */
function keywordRow(k, onRemove) {
  const n = ++keywordSeq;
  const input = h('input', { id: `kw-${n}`, type: 'text', value: k?.keyword ?? '', maxlength: 500 });
  const whole = h('input', { id: `kw-whole-${n}`, type: 'checkbox', checked: k ? k.whole_word : true });
  const label = h('label', { for: input.id });
  const wholeLabel = h('label', { for: whole.id });
  const removeButton = h('button', { type: 'button', class: 'quiet' }, 'Remove');
  const row = h('li', { class: 'keyword-row', 'data-id': k?.id ?? '' },
    h('div', { class: 'field' }, label, input),
    h('div', { class: 'check' }, whole, wholeLabel),
    removeButton);
  removeButton.addEventListener('click', () => onRemove(row));
  row.keyword = () => ({ id: k?.id, keyword: input.value.trim(), whole_word: whole.checked });
  row.setNumber = (i) => {
    label.textContent = `Keyword ${i}`;
    wholeLabel.replaceChildren('Whole word', h('span', { class: 'visually-hidden' }, ` (keyword ${i})`));
    removeButton.setAttribute('aria-label', `Remove keyword ${i}`);
  };
  return row;
}

function renderForm(root, { navigate, id }) {
  document.title = `${id ? 'Edit filter' : 'New filter'} · partyline`;
  const status = h('p', { class: 'empty', role: 'status' }, id ? 'Loading…' : '');
  root.append(h('h1', {}, id ? 'Edit filter' : 'New filter'), status);
  const load = id ? api(`/api/v2/filters/${encodeURIComponent(id)}`).then((r) => r.data) : Promise.resolve(null);
  load.then((f) => {
    status.remove();
    root.append(filterForm(f, navigate));
    root.querySelector('#filter-title')?.focus();
  }).catch((e) => {
    status.className = 'error';
    status.textContent = e.status === 404
      ? 'There is no such filter (it may have been deleted). Go back to your filters.'
      : `Could not load this filter: ${e.message} Reload the page to try again.`;
    status.append(' ', h('a', { href: '#/filters' }, 'Your filters'));
  });
}

function filterForm(f, navigate) {
  const removed = []; // ids of existing keywords taken out
  const keywords = h('ul', { class: 'keywords', 'aria-label': 'Keywords' });
  const renumber = () => [...keywords.children].forEach((r, i) => r.setNumber(i + 1));
  const remove = (row) => {
    if (row.dataset.id) removed.push(row.dataset.id);
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    renumber();
    (next?.querySelector('input') ?? addButton).focus();
  };
  const addButton = h('button', { type: 'button', class: 'quiet' }, 'Add a keyword');
  addButton.addEventListener('click', () => {
    const row = keywordRow(null, remove);
    keywords.append(row);
    renumber();
    row.querySelector('input').focus();
  });
  for (const k of f?.keywords ?? []) keywords.append(keywordRow(k, remove));
  if (!f) keywords.append(keywordRow(null, remove));
  renumber();

  const titleInput = h('input', { id: 'filter-title', type: 'text', required: true, value: f?.title ?? '', maxlength: 200, 'aria-describedby': 'filter-title-hint' });
  const contexts = CONTEXTS.map(([value, label]) => {
    const box = h('input', { id: `filter-context-${value}`, type: 'checkbox', value, checked: f ? f.context.includes(value) : value !== 'account' && value !== 'thread' });
    return h('div', { class: 'check' }, box, h('label', { for: box.id }, label));
  });
  // blur (Mastodon 4.4: only the pictures are hidden) is offered when another app set it, so
  // saving here does not change it unasked; this client folds such posts whole (status.js)
  const offered = f?.filter_action === 'blur'
    ? [...ACTIONS, ['blur', 'Blur pictures and files', 'Set in another app: there only the pictures are hidden; here the post is folded.']]
    : ACTIONS;
  const actions = offered.map(([value, label, hint]) => {
    const radio = h('input', { id: `filter-action-${value}`, type: 'radio', name: 'filter-action', value, checked: (f?.filter_action ?? 'warn') === value, 'aria-describedby': `filter-action-${value}-hint` });
    return h('div', { class: 'check' }, radio, h('label', { for: radio.id }, label), h('p', { class: 'hint', id: `filter-action-${value}-hint` }, hint));
  });
  const expiry = h('select', { id: 'filter-expiry' },
    f?.expires_at && h('option', { value: 'keep', selected: true }, `As it is (${Date.parse(f.expires_at) <= Date.now() ? 'expired' : 'expires'} ${dateFmt.format(new Date(f.expires_at))})`),
    EXPIRIES.map(([value, label]) => h('option', { value, selected: !f?.expires_at && value === '' }, label)));

  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit' }, f ? 'Save filter' : 'Create filter');
  const form = h('form', { class: 'card stack filter-form', 'aria-label': f ? 'Edit filter' : 'New filter', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'filter-title' }, 'Title'),
      titleInput,
      h('p', { class: 'hint', id: 'filter-title-hint' }, 'What a folded post says: “Filtered: title”.')),
    h('fieldset', {}, h('legend', {}, 'Keywords'),
      h('p', { class: 'hint' }, 'A post matches when its text, content warning or poll has one of them. “Whole word” matches “cat” but not “category”.'),
      keywords, addButton),
    h('fieldset', {}, h('legend', {}, 'Where it applies'), contexts),
    h('fieldset', {}, h('legend', {}, 'What it does'), actions),
    h('div', { class: 'field' }, h('label', { for: 'filter-expiry' }, 'Expires after'), expiry),
    h('div', { class: 'row' }, save, h('a', { href: '#/filters' }, 'Cancel')),
    error);

  const fail = (msg, focus) => {
    error.textContent = msg;
    error.hidden = false;
    focus?.focus();
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    titleInput.removeAttribute('aria-invalid');
    const titleText = titleInput.value.trim();
    if (!titleText) {
      titleInput.setAttribute('aria-invalid', 'true');
      fail('Give the filter a title.', titleInput);
      return;
    }
    const context = contexts.map((c) => c.querySelector('input')).filter((b) => b.checked).map((b) => b.value);
    if (!context.length) {
      fail('Choose at least one place where the filter applies.', contexts[0].querySelector('input'));
      return;
    }
    const rows = [...keywords.children].map((r) => r.keyword());
    const attrs = rows.filter((k) => k.keyword || k.id).map((k) => (k.id && !k.keyword
      ? { id: k.id, _destroy: true }
      : { ...(k.id ? { id: k.id } : {}), keyword: k.keyword, whole_word: k.whole_word }));
    for (const rid of removed) attrs.push({ id: rid, _destroy: true });
    const body = {
      title: titleText,
      context,
      filter_action: form.querySelector('input[name="filter-action"]:checked')?.value ?? 'warn',
      keywords_attributes: attrs,
    };
    if (expiry.value !== 'keep') body.expires_in = expiry.value;
    save.disabled = true;
    try {
      await api(f ? `/api/v2/filters/${encodeURIComponent(f.id)}` : '/api/v2/filters', { method: f ? 'PUT' : 'POST', json: body });
      toast(f ? `The filter “${titleText}” is saved.` : `The filter “${titleText}” is on.`);
      navigate('#/filters');
    } catch (err) {
      fail(`The filter was not saved: ${err.message} Your changes are still here; fix them and save again.`);
      save.disabled = false;
    }
  });
  return form;
}
