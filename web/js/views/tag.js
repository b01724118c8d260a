// views/tag.js — a hashtag's posts (#/tag/<name>, #/tag/<name>/top): newest first and live
// through the `hashtag` stream, or Top; following the tag puts its posts in one's home feed.

import { api } from '../api.js';
import { h } from '../dom.js';
import { orderSwitch, parseOrder, topTimeline } from '../feedorder.js';
import { timeline } from '../timeline.js';

export const title = 'Hashtag';

function followButton(name) {
  const button = h('button', { type: 'button', disabled: true, 'aria-pressed': 'false' }, `Follow #${name}`);
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  let following = false;
  const draw = () => {
    button.textContent = following ? `Following #${name}` : `Follow #${name}`;
    button.setAttribute('aria-pressed', String(following));
    button.classList.toggle('quiet', following);
  };
  const path = `/api/v1/tags/${encodeURIComponent(name)}`;
  api(path).then(({ data }) => {
    following = !!data?.following;
    draw();
  }).catch(() => { /* an unknown tag is not followed; the button still works */ })
    .finally(() => { button.disabled = false; });
  button.addEventListener('click', async () => {
    button.disabled = true;
    error.hidden = true;
    try {
      const { data } = await api(`${path}/${following ? 'unfollow' : 'follow'}`, { method: 'POST' });
      following = !!data?.following;
      draw();
    } catch (e) {
      error.textContent = `Could not ${following ? 'unfollow' : 'follow'} #${name}: ${e.message} Try again.`;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  return [button, error];
}

export function render(root, { args }) {
  const name = (args[0] ?? '').replace(/^#/, '');
  if (!name) {
    root.append(h('h1', {}, 'No hashtag'),
      h('p', {}, 'This address names no hashtag. ', h('a', { href: '#/search' }, 'Search for one.')));
    return null;
  }
  document.title = `#${name} · partyline`;
  const order = parseOrder(args.slice(1));
  const label = `Posts tagged #${name}`;
  const empty = `No posts with #${name} yet.`;
  const t = order.top
    ? topTimeline({ feed: `tag:${name}`, window: order.window, label, empty })
    : timeline({
      path: `/api/v1/timelines/tag/${encodeURIComponent(name)}`,
      label,
      empty,
      stream: { stream: 'hashtag', tag: name },
    });
  root.append(h('div', { class: 'feed-head' }, h('h1', {}, `#${name}`), ...followButton(name)),
    orderSwitch(`#/tag/${encodeURIComponent(name)}`, order), t.el);
  return t.destroy;
}
