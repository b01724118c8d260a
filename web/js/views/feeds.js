// views/feeds.js — curated feeds (Mastodon lists plus our list sources). #/feeds lists them
// in the person's own order, which the server keeps (PUT /api/v1/partyline/lists/order) so
// every device shows the same order, with move up / move down buttons and the form that
// creates one. #/feeds/<id> is one feed's settings and sources (feed-sources.js). Reading a
// feed is #/list/<id>, another view.

import { api } from '../api.js';
import { h, toast } from '../dom.js';
import { feedPage, POLICIES } from '../feed-sources.js';

export const title = 'Feeds';

function createForm(onCreated) {
  const titleInput = h('input', { id: 'feed-title', name: 'title', required: true, maxlength: 100, autocomplete: 'off' });
  const policy = h('select', { id: 'feed-policy', name: 'replies_policy' },
    POLICIES.map(([v, label]) => h('option', { value: v, selected: v === 'list' }, label)));
  const exclusive = h('input', { type: 'checkbox', id: 'feed-exclusive', name: 'exclusive' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Create feed');
  const form = h('form', { class: 'stack', 'aria-label': 'Create a feed' },
    h('div', { class: 'field' }, h('label', { for: 'feed-title' }, 'Title'), titleInput),
    h('div', { class: 'field' }, h('label', { for: 'feed-policy' }, 'Replies shown'), policy),
    h('div', { class: 'field checkbox' }, exclusive,
      h('label', { for: 'feed-exclusive' }, 'Keep its people\u2019s posts out of Home (exclusive)')),
    h('div', { class: 'row' }, submit), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      const { data } = await api('/api/v1/lists', {
        json: { title: titleInput.value.trim(), replies_policy: policy.value, exclusive: exclusive.checked },
      });
      form.reset();
      onCreated(data);
    } catch (err) {
      error.textContent = `The feed was not created: ${err.message} Your entries are still here.`;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return h('details', { class: 'card create-feed' }, h('summary', {}, 'Create a feed'), form);
}

function feedsIndex(root) {
  let feeds = [];
  const list = h('ol', { class: 'feed-order card', 'aria-label': 'Your feeds' });
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading your feeds…');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });

  function draw(focus) {
    list.replaceChildren(...feeds.map((f, i) => {
      const up = h('button', { type: 'button', class: 'quiet', 'aria-label': `Move ${f.title} up`, disabled: i === 0 }, '↑');
      const down = h('button', { type: 'button', class: 'quiet', 'aria-label': `Move ${f.title} down`, disabled: i === feeds.length - 1 }, '↓');
      up.addEventListener('click', () => move(i, -1));
      down.addEventListener('click', () => move(i, +1));
      return h('li', { 'data-id': f.id },
        h('div', {},
          h('a', { class: 'feed-title', href: `#/list/${f.id}` }, f.title),
          h('div', { class: 'feed-links' },
            h('a', { href: `#/feeds/${f.id}`, 'aria-label': `Sources and settings of ${f.title}` }, 'Sources and settings'))),
        h('div', { class: 'row-actions' }, up, down));
    }));
    list.hidden = feeds.length === 0;
    list.classList.toggle('card', feeds.length > 0);
    state.textContent = feeds.length ? '' : 'No feeds yet. Create one: a work feed, friends, an interest.';
    if (focus) {
      const btn = list.querySelector(`[data-id="${CSS.escape(focus.id)}"] button[aria-label^="Move"][aria-label$="${focus.dir}"]`);
      // at the top or bottom that button is disabled: focus its twin instead
      (btn && !btn.disabled ? btn : list.querySelector(`[data-id="${CSS.escape(focus.id)}"] button:not([disabled])`))?.focus();
    }
  }

  async function move(i, by) {
    const j = i + by;
    if (j < 0 || j >= feeds.length) return;
    const before = feeds.slice();
    const moved = feeds[i];
    feeds.splice(i, 1);
    feeds.splice(j, 0, moved);
    error.hidden = true;
    draw({ id: moved.id, dir: by < 0 ? 'up' : 'down' });
    try {
      const { data } = await api('/api/v1/partyline/lists/order', { method: 'PUT', json: { ids: feeds.map((f) => f.id) } });
      feeds = data;
      toast(`${moved.title} moved ${by < 0 ? 'up' : 'down'}, to place ${j + 1} of ${feeds.length}`);
    } catch (e) {
      feeds = before;
      draw({ id: moved.id, dir: by < 0 ? 'up' : 'down' });
      error.textContent = `The new order was not saved: ${e.message} Reload the page and try again.`;
      error.hidden = false;
    }
  }

  async function load() {
    try {
      ({ data: feeds } = await api('/api/v1/lists'));
      draw();
    } catch (e) {
      state.className = 'error';
      state.textContent = `Could not load your feeds: ${e.message} Reload the page to try again.`;
    }
  }

  root.append(h('h1', {}, 'Curated feeds'),
    h('p', { class: 'lede' }, 'Feeds gather posts from the people, channels, hashtags and keywords you choose. Put them in the order you like; it is the same on every device.'),
    createForm((f) => {
      feeds.push(f);
      draw();
      toast(`Feed ${f.title} created`);
      list.querySelector(`[data-id="${CSS.escape(f.id)}"] a`)?.focus();
    }),
    h('section', { 'aria-labelledby': 'feeds-h' }, h('h2', { id: 'feeds-h', class: 'visually-hidden' }, 'Your feeds'),
      list, state, error));
  load();
}

export function render(root, { args, navigate }) {
  if (args[0]) return feedPage(root, args[0], { navigate });
  feedsIndex(root);
  return undefined;
}
