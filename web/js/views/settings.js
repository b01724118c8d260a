// views/settings.js — #/settings: one's preferences for new posts (default audience,
// sensitivity, language, Markdown: GET /api/v1/preferences, saved with update_credentials'
// source[…]); #/settings/password: change the password (POST /api/v1/partyline/password,
// which signs out one's other sessions); #/settings/sessions: where one is signed in (GET
// /api/v1/partyline/sessions) with Sign out for each. Below the preferences, one's archive: asked
// for (POST /api/v1/partyline/archives), its state while the server makes it, and a link that
// downloads it (the signed address the list gives: no token needed) — a card, not a tab: five
// tabs do not fit a phone's width. Filters have their own
// page (views/filters.js), linked from the tabs.

import { api } from '../api.js';
import { confirmInline } from '../confirm.js';
import { h, toast } from '../dom.js';
import { forgetMe } from '../me.js';
import { pagedList } from '../paged.js';
import { session } from '../session.js';

export const title = 'Settings';

const SECTIONS = [
  ['', 'Preferences'],
  ['password', 'Password'],
  ['sessions', 'Sessions'],
];

function tabs(current) {
  return h('nav', { class: 'tabs settings-tabs', 'aria-label': 'Settings sections' },
    SECTIONS.map(([key, label]) => h('a', { href: key ? `#/settings/${key}` : '#/settings', 'aria-current': key === current ? 'page' : null }, label)),
    h('a', { href: '#/filters' }, 'Filters'));
}

export function render(root, { args }) {
  const section = SECTIONS.some(([k]) => k === (args[0] ?? '')) ? args[0] ?? '' : '';
  const label = SECTIONS.find(([k]) => k === section)[1];
  document.title = `${label} · Settings · partyline`;
  root.append(h('h1', {}, 'Settings'), tabs(section));
  if (section === 'password') root.append(passwordForm());
  else if (section === 'sessions') sessions(root);
  else {
    preferences(root);
    archive(root);
  }
}

// ---- preferences --------------------------------------------------------------------------

const AUDIENCES = [
  ['company', 'Company', 'Everyone in the company who is signed in.'],
  ['private', 'Followers only', 'Only your followers, and the people you mention.'],
  ['public', 'Public', 'Anyone who can read this server, and the public timelines.'],
  ['unlisted', 'Public, not on the public timelines', 'Anyone who can read this server, but not listed on the public timelines.'],
];
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'fi', 'nb', 'cs', 'ja', 'ko', 'zh'];

function languageName(code) {
  try {
    return new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function preferences(root) {
  const status = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  root.append(status);
  api('/api/v1/preferences').then(({ data }) => {
    status.replaceWith(preferencesForm(data)); /* in its place: the archive's card follows */
  }).catch((e) => {
    status.className = 'error';
    status.textContent = `Could not load your preferences: ${e.message} Reload the page to try again.`;
  });
}

function preferencesForm(p) {
  const audience = p['partyline:posting:default:audience'] ?? p['posting:default:visibility'] ?? 'company';
  const language = p['posting:default:language'] ?? '';
  const codes = language && !LANGUAGES.includes(language) ? [language, ...LANGUAGES] : LANGUAGES;
  const describe = (v) => AUDIENCES.find(([k]) => k === v)?.[2] ?? '';
  const hint = h('p', { class: 'hint', id: 'pref-audience-hint' }, describe(audience));
  const audienceSelect = h('select', { id: 'pref-audience', 'aria-describedby': 'pref-audience-hint' },
    AUDIENCES.map(([value, label]) => h('option', { value, selected: value === audience }, label)));
  audienceSelect.addEventListener('change', () => { hint.textContent = describe(audienceSelect.value); });
  const languageSelect = h('select', { id: 'pref-language' },
    h('option', { value: '', selected: !language }, 'None: say nothing about the language'),
    codes.map((c) => h('option', { value: c, selected: c === language }, languageName(c))));
  const sensitive = h('input', { id: 'pref-sensitive', type: 'checkbox', checked: !!p['posting:default:sensitive'], 'aria-describedby': 'pref-sensitive-hint' });
  const markdown = h('input', { id: 'pref-markdown', type: 'checkbox', checked: p['partyline:posting:default:content_type'] === 'text/markdown', 'aria-describedby': 'pref-markdown-hint' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit' }, 'Save preferences');
  const form = h('form', { class: 'card stack', 'aria-label': 'Preferences for new posts' },
    h('h2', {}, 'New posts'),
    h('div', { class: 'field' }, h('label', { for: 'pref-audience' }, 'Who sees your posts, unless you choose otherwise'), audienceSelect, hint),
    h('div', { class: 'field' }, h('label', { for: 'pref-language' }, 'Language of your posts'), languageSelect),
    h('div', { class: 'check' }, sensitive, h('label', { for: 'pref-sensitive' }, 'Mark pictures and files as sensitive'),
      h('p', { class: 'hint', id: 'pref-sensitive-hint' }, 'Others see them only after a click.')),
    h('div', { class: 'check' }, markdown, h('label', { for: 'pref-markdown' }, 'Write in Markdown'),
      h('p', { class: 'hint', id: 'pref-markdown-hint' }, '**bold**, _italic_, lists and `code` become formatting.')),
    h('div', { class: 'row' }, save),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    save.disabled = true;
    try {
      await api('/api/v1/accounts/update_credentials', {
        method: 'PATCH',
        json: {
          source: {
            privacy: audienceSelect.value,
            sensitive: sensitive.checked,
            language: languageSelect.value,
            status_content_type: markdown.checked ? 'text/markdown' : 'text/plain',
          },
        },
      });
      forgetMe(); // the compose form starts from the new default
      toast('Your preferences are saved.');
    } catch (err) {
      error.textContent = `Your preferences were not saved: ${err.message} Try again.`;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// ---- password -----------------------------------------------------------------------------

const PASSWORD_MIN = 8;
const PASSWORD_MAX = 72;

function passwordField(id, label, autocomplete, hint) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, type: 'password', autocomplete, required: true, 'aria-describedby': hint ? `${id}-hint` : null }),
    hint && h('p', { class: 'hint', id: `${id}-hint` }, hint));
}

function passwordForm() {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const done = h('p', { role: 'status' });
  const save = h('button', { type: 'submit' }, 'Change password');
  const form = h('form', { class: 'card stack', 'aria-label': 'Change password', novalidate: true },
    h('h2', {}, 'Change your password'),
    h('p', { class: 'hint' }, 'Your other sessions (phones, other browsers, apps) are signed out; this one stays.'),
    passwordField('pw-current', 'Current password', 'current-password'),
    passwordField('pw-new', 'New password', 'new-password', `${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`),
    passwordField('pw-again', 'New password again', 'new-password'),
    h('div', { class: 'row' }, save),
    error, done);
  const field = (id) => form.querySelector(`#${id}`);
  const fail = (msg, id) => {
    error.textContent = msg;
    error.hidden = false;
    for (const f of form.querySelectorAll('input')) f.removeAttribute('aria-invalid');
    if (id) {
      field(id).setAttribute('aria-invalid', 'true');
      field(id).focus();
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    done.textContent = '';
    const current = field('pw-current').value;
    const next = field('pw-new').value;
    if (!current) return fail('Type your current password.', 'pw-current');
    if (next.length < PASSWORD_MIN || next.length > PASSWORD_MAX) return fail(`The new password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`, 'pw-new');
    if (next !== field('pw-again').value) return fail('The two new passwords differ. Type the same one twice.', 'pw-again');
    save.disabled = true;
    try {
      await api('/api/v1/partyline/password', { method: 'POST', json: { current_password: current, password: next } });
      form.reset();
      for (const f of form.querySelectorAll('input')) f.removeAttribute('aria-invalid');
      done.textContent = 'Your password is changed. Your other sessions are signed out.';
      toast('Your password is changed.');
    } catch (err) {
      const which = /current password/i.test(err.message) ? 'pw-current' : /password/i.test(err.message) ? 'pw-new' : null;
      fail(`Your password was not changed: ${err.message}`, which);
    } finally {
      save.disabled = false;
    }
    return undefined;
  });
  return form;
}

// ---- sessions -----------------------------------------------------------------------------

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** What a session's scopes let it do, in words (the scopes themselves are in its title). */
function access(scopes) {
  const words = scopes.split(/[\s+]+/);
  const writes = words.some((w) => w === 'write' || w.startsWith('write:'));
  const admin = words.some((w) => w.startsWith('admin:'));
  return `${writes ? 'Can read and act for you' : 'Can only read'}${admin ? ', with administrator rights' : ''}`;
}

function sessionRow(s) {
  const name = s.app?.name ?? 'An app that no longer exists';
  const end = h('button', { type: 'button', class: 'danger', 'aria-label': `Sign out ${name}${s.current ? ' (this session)' : `, signed in ${dateFmt.format(new Date(s.created_at))}`}` }, 'Sign out');
  const li = h('li', { class: 'session' },
    h('div', { class: 'session-about' },
      h('span', {}, h('span', { class: 'name' }, name), s.current && h('span', { class: 'tag' }, 'This session')),
      h('span', { class: 'muted' }, `Signed in ${dateFmt.format(new Date(s.created_at))}`),
      h('span', { class: 'muted', title: `Scopes: ${s.scopes}` }, access(s.scopes))),
    h('div', { class: 'row-actions' }, end));
  end.addEventListener('click', () => confirmInline(end, {
    question: s.current ? 'Sign out here? You will need your password to come back.' : `Sign out ${name}?`,
    detail: s.current ? '' : 'It will need your password to sign in again.',
    yes: 'Sign out',
    fail: 'That session was not signed out',
    onYes: async () => {
      await api(`/api/v1/partyline/sessions/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
      if (s.current) {
        session.expired();
        return;
      }
      const next = li.nextElementSibling ?? li.previousElementSibling;
      li.remove();
      toast(`${name} is signed out.`);
      (next?.querySelector('button') ?? document.querySelector('.tabs a'))?.focus();
    },
  }));
  return li;
}

function sessions(root) {
  const list = h('ul', { class: 'people sessions', 'aria-label': 'Your sessions' });
  const p = pagedList({
    list,
    path: '/api/v1/partyline/sessions',
    row: sessionRow,
    empty: 'No sessions.',
    what: 'your sessions',
  });
  root.append(h('p', { class: 'hint' }, 'Where you are signed in: this browser, other browsers, phone apps. Sign out any you do not recognise, then change your password.'),
    list, p.state, p.moreRow);
}

// ---- archive ------------------------------------------------------------------------------

const ARCHIVES = '/api/v1/partyline/archives';
const ARCHIVE_POLL_MS = 1500;

function sizeText(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What the newest archive's row says, in words and, when ready, the link. */
function archiveState(x) {
  if (!x) return [h('p', { class: 'muted' }, 'You have not asked for an archive yet.')];
  const asked = dateFmt.format(new Date(x.created_at));
  switch (x.state) {
    case 'waiting':
    case 'building':
      return [h('p', {}, `Your archive is being made (asked ${asked}). This page shows the link when it is ready.`)];
    case 'ready':
      return [
        h('p', {}, `Your archive of ${asked} is ready: ${sizeText(x.size)}, until ${dateFmt.format(new Date(x.expires_at))}.`),
        h('p', {}, h('a', { class: 'button', href: x.url, download: '' }, 'Download my archive')),
      ];
    case 'failed':
      return [h('p', { class: 'error' }, `Your archive of ${asked} could not be made: ${x.error ?? 'an error'}. Ask again.`)];
    default:
      return [h('p', { class: 'muted' }, `Your archive of ${asked} has expired. Ask for a new one.`)];
  }
}

function archive(root) {
  const state = h('div', { role: 'status', 'aria-live': 'polite' }, h('p', { class: 'empty' }, 'Loading…'));
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const ask = h('button', { type: 'button' }, 'Request my archive');
  const card = h('section', { class: 'card stack archive-card', 'aria-label': 'Your archive' },
    h('h2', {}, 'Download your archive'),
    h('p', { class: 'hint' }, 'A zip of everything you wrote — your posts of every audience and your direct messages, your files, your profile — and the addresses of the posts you liked or bookmarked, in the format Mastodon uses. You may ask once a week; an archive is kept for a week.'),
    state, h('div', { class: 'row' }, ask), error);
  root.append(card);
  let timer = 0;
  const show = (rows) => {
    const x = rows[0];
    state.replaceChildren(...archiveState(x));
    const making = x && (x.state === 'waiting' || x.state === 'building');
    ask.disabled = Boolean(making);
    clearTimeout(timer);
    if (making) timer = setTimeout(load, ARCHIVE_POLL_MS);
  };
  async function load() {
    if (!card.isConnected) return;
    try {
      show((await api(ARCHIVES)).data);
    } catch (e) {
      state.replaceChildren(h('p', { class: 'error' }, `Could not load your archives: ${e.message}`));
    }
  }
  ask.addEventListener('click', async () => {
    error.hidden = true;
    ask.disabled = true;
    try {
      const { data } = await api(ARCHIVES, { method: 'POST' });
      show([data]);
      toast('Your archive is being made.');
    } catch (e) {
      error.textContent = `No new archive: ${e.message}`;
      error.hidden = false;
      ask.disabled = false;
    }
  });
  load();
}
