// feed-sources.js — one curated feed (#/feeds/<id>): its settings (rename, replies policy,
// exclusive, delete) and its sources. People are Mastodon's list accounts (found through
// /api/v1/accounts/search; Mastodon lets a list hold only people you follow, and the server's
// refusal is shown as it says it); channels, hashtags and keywords are our list sources
// (docs/api.md "List sources"). Every failed change leaves what was typed in place.

import { api } from './api.js';
import { confirmInline } from './confirm.js';
import { h, toast } from './dom.js';

export const POLICIES = [
  ['list', 'Replies to people in this feed'],
  ['followed', 'Replies to anyone you follow'],
  ['none', 'No replies'],
];

let seq = 0;
const who = (a) => a.display_name || a.username;

/** A labelled section with its own alert line; returns {section, body, fail, clear}. */
function sourceSection(heading, intro) {
  const id = `src-h-${++seq}`;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const body = h('div', { class: 'source-body' });
  const section = h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, heading), intro && h('p', { class: 'hint' }, intro), body, error);
  return {
    section, body,
    fail(what, e) { error.textContent = `${what}: ${e.message}`; error.hidden = false; },
    clear() { error.hidden = true; },
  };
}

function field(label, input) {
  input.id ||= `f-${++seq}`;
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

function settings(list, navigate, onRenamed) {
  const sec = sourceSection('Settings');
  const titleInput = h('input', { required: true, maxlength: 100, value: list.title, autocomplete: 'off' });
  const policy = h('select', {}, POLICIES.map(([v, l]) => h('option', { value: v, selected: v === list.replies_policy }, l)));
  const exclusive = h('input', { type: 'checkbox', id: `f-${++seq}`, checked: list.exclusive });
  const save = h('button', { type: 'submit' }, 'Save');
  const form = h('form', { class: 'stack', 'aria-label': 'Feed settings' },
    field('Title', titleInput), field('Replies shown', policy),
    h('div', { class: 'field checkbox' }, exclusive,
      h('label', { for: exclusive.id }, 'Keep its people\u2019s posts out of Home (exclusive)')),
    h('div', { class: 'row' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    sec.clear();
    save.disabled = true;
    try {
      const { data } = await api(`/api/v1/lists/${list.id}`, {
        method: 'PUT', json: { title: titleInput.value.trim(), replies_policy: policy.value, exclusive: exclusive.checked },
      });
      Object.assign(list, data);
      onRenamed(data);
      toast('Feed saved');
    } catch (err) {
      sec.fail('The feed was not saved', err);
    } finally {
      save.disabled = false;
    }
  });
  const del = h('button', { type: 'button', class: 'quiet danger' }, 'Delete this feed');
  del.addEventListener('click', () => {
    sec.clear();
    confirmInline(del, {
      question: `Delete the feed "${list.title}"?`,
      detail: 'Its sources go with it; the posts stay where they are.',
      yes: 'Delete feed',
      fail: 'The feed was not deleted',
      onYes: async () => {
        await api(`/api/v1/lists/${list.id}`, { method: 'DELETE' });
        toast(`Feed ${list.title} deleted`);
        navigate('#/feeds');
      },
    });
  });
  sec.body.append(form, h('div', { class: 'row-actions' }, del));
  return sec.section;
}

function chip(text, label, onRemove) {
  const b = h('button', { type: 'button', class: 'quiet', 'aria-label': label }, '×');
  b.addEventListener('click', () => onRemove(b));
  return h('li', {}, h('span', {}, text), b);
}

function people(list) {
  const sec = sourceSection('People', 'Their posts show in this feed. You can add people you follow.');
  const members = h('ul', { class: 'chips', 'aria-label': 'People in this feed' });
  const q = h('input', { type: 'search', autocomplete: 'off', placeholder: 'Name or @username' });
  const results = h('ul', { class: 'people', 'aria-label': 'People found' });
  const form = h('form', { class: 'inline-form', role: 'search', 'aria-label': 'Find people to add' },
    field('Find a person', q), h('button', { type: 'submit' }, 'Search'));
  let inFeed = new Set();

  async function load() {
    try {
      const { data } = await api(`/api/v1/lists/${list.id}/accounts?limit=0`);
      inFeed = new Set(data.map((a) => a.id));
      members.replaceChildren(...data.map((a) => chip(`${who(a)} @${a.acct}`, `Remove ${who(a)} from this feed`, async (b) => {
        b.disabled = true;
        sec.clear();
        try {
          await api(`/api/v1/lists/${list.id}/accounts`, { method: 'DELETE', json: { account_ids: [a.id] } });
          toast(`${who(a)} removed`);
          await load();
          q.focus();
        } catch (e) { sec.fail(`${who(a)} was not removed`, e); b.disabled = false; }
      })));
    } catch (e) { sec.fail('Could not load the people of this feed', e); }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    sec.clear();
    if (!q.value.trim()) return;
    try {
      const { data } = await api(`/api/v1/accounts/search?${new URLSearchParams({ q: q.value.trim(), limit: 8, resolve: 'false' })}`);
      results.replaceChildren(...data.filter((a) => !a.group).map((a) => {
        const add = h('button', { type: 'button', 'aria-label': `Add ${who(a)} to this feed`, disabled: inFeed.has(a.id) },
          'Add');
        const added = () => { add.textContent = 'Added'; add.setAttribute('aria-label', `Added ${who(a)} to this feed`); add.disabled = true; };
        if (inFeed.has(a.id)) added();
        add.addEventListener('click', async () => {
          add.disabled = true;
          sec.clear();
          try {
            await api(`/api/v1/lists/${list.id}/accounts`, { json: { account_ids: [a.id] } });
            toast(`${who(a)} added`);
            added();
            await load();
          } catch (err) { sec.fail(`${who(a)} was not added`, err); add.disabled = false; }
        });
        return h('li', {}, h('div', { class: 'person' }, h('span', { class: 'name' }, who(a)), ' ',
          h('span', { class: 'acct' }, `@${a.acct}`)), h('div', { class: 'row-actions' }, add));
      }));
      if (!results.children.length) results.append(h('li', { class: 'empty' }, `Nobody found for "${q.value.trim()}".`));
    } catch (err) { sec.fail('The search failed', err); }
  });
  sec.body.append(members, form, results);
  load();
  return sec.section;
}

/** Channels, hashtags and keywords: one GET, and POST/DELETE of one source at a time. */
function otherSources(list) {
  const path = `/api/v1/partyline/lists/${list.id}/sources`;
  const ch = sourceSection('Channels', 'Every post in these channels shows in this feed.');
  const tg = sourceSection('Hashtags', 'Posts with these hashtags that you may see.');
  const kw = sourceSection('Keywords', 'Posts that say these words, as a phrase.');
  const chList = h('ul', { class: 'chips', 'aria-label': 'Channels in this feed' });
  const tgList = h('ul', { class: 'chips', 'aria-label': 'Hashtags in this feed' });
  const kwList = h('ul', { class: 'chips', 'aria-label': 'Keywords in this feed' });
  const chSelect = h('select', {}, h('option', { value: '' }, 'Loading channels…'));
  const tgInput = h('input', { autocomplete: 'off', placeholder: '#cycling', maxlength: 100 });
  const kwInput = h('input', { autocomplete: 'off', placeholder: 'chain grease', maxlength: 100 });

  function draw(s) {
    const rm = (sec, body, label, what) => async (b) => {
      b.disabled = true;
      sec.clear();
      try { draw((await api(path, { method: 'DELETE', json: body })).data); toast(`${label} removed`); } catch (e) { sec.fail(`${what} was not removed`, e); b.disabled = false; }
    };
    chList.replaceChildren(...s.channels.map((c) => chip(`${c.display_name}${c.private ? ' (private)' : ''}`,
      `Remove channel ${c.display_name}`, rm(ch, { channel_ids: [c.id] }, c.display_name, `Channel ${c.display_name}`))));
    tgList.replaceChildren(...s.tags.map((t) => chip(`#${t}`, `Remove hashtag ${t}`, rm(tg, { tags: [t] }, `#${t}`, `#${t}`))));
    kwList.replaceChildren(...s.keywords.map((k) => chip(`“${k}”`, `Remove keyword ${k}`, rm(kw, { keywords: [k] }, `“${k}”`, `“${k}”`))));
  }
  const adder = (sec, input, label, what, body) => {
    const form = h('form', { class: 'inline-form', 'aria-label': label }, field(what, input), h('button', { type: 'submit' }, 'Add'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      sec.clear();
      const v = input.value.trim();
      if (!v) return;
      try {
        draw((await api(path, { json: body(v) })).data);
        input.value = '';
        toast('Added');
      } catch (err) { sec.fail(`"${input.selectedOptions?.[0]?.textContent ?? v}" was not added`, err); }
    });
    return form;
  };
  ch.body.append(chList, adder(ch, chSelect, 'Add a channel', 'Channel', (v) => ({ channel_ids: [v] })));
  tg.body.append(tgList, adder(tg, tgInput, 'Add a hashtag', 'Hashtag', (v) => ({ tags: [v] })));
  kw.body.append(kwList, adder(kw, kwInput, 'Add a keyword', 'Keyword or phrase', (v) => ({ keywords: [v] })));

  api(path).then(({ data }) => draw(data)).catch((e) => ch.fail('Could not load the sources', e));
  api('/api/v1/partyline/channels?limit=80').then(({ data }) => {
    const readable = data.filter((c) => !c.private || c.member || c.can_moderate); // administrators read every channel
    chSelect.replaceChildren(h('option', { value: '' }, readable.length ? 'Choose a channel' : 'No channel to add'),
      ...readable.map((c) => h('option', { value: c.id }, `${c.display_name || c.name}${c.private ? ' (private)' : ''}`)));
  }).catch((e) => ch.fail('Could not load the channels', e));
  return [ch.section, tg.section, kw.section];
}

/** Draws #/feeds/<id>. */
export function feedPage(root, id, { navigate }) {
  const body = h('div', { class: 'feed-page' }, h('p', { class: 'empty', role: 'status' }, 'Loading the feed…'));
  root.append(body);
  (async () => {
    let list;
    try {
      ({ data: list } = await api(`/api/v1/lists/${encodeURIComponent(id)}`));
    } catch (e) {
      body.replaceChildren(h('h1', {}, 'Feed not available'),
        h('p', { class: 'error', role: 'alert' }, e.status === 404 ? 'There is no such feed among yours; it may have been deleted.' : `Could not load the feed: ${e.message}`),
        h('p', {}, h('a', { href: '#/feeds' }, 'Back to your feeds')));
      return;
    }
    const h1 = h('h1', {}, list.title);
    document.title = `${list.title} · partyline`;
    body.replaceChildren(
      h('p', {}, h('a', { href: '#/feeds' }, '← Your feeds')),
      h1,
      h('p', {}, h('a', { href: `#/list/${list.id}` }, `Read ${list.title}`)),
      h('div', { class: 'sources' }, people(list), ...otherSources(list),
        settings(list, navigate, (l) => { h1.textContent = l.title; document.title = `${l.title} · partyline`; })));
  })();
  return undefined;
}
