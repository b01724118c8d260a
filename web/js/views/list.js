// views/list.js — reading one curated feed (a Mastodon list: #/list/<id>, #/list/<id>/top):
// newest first and live through the `list` stream, or Top. Making and changing feeds is
// views/feeds.js (#/feeds/<id>).

import { api } from '../api.js';
import { h } from '../dom.js';
import { orderSwitch, parseOrder, topTimeline } from '../feedorder.js';
import { timeline } from '../timeline.js';

export const title = 'Feed';

export function render(root, { args }) {
  const id = args[0] ?? '';
  const heading = h('h1', {}, 'Feed');
  const head = h('div', { class: 'feed-head' }, heading,
    h('a', { href: `#/feeds/${encodeURIComponent(id)}`, class: 'button quiet' }, 'Edit this feed'));
  if (!/^\d+$/.test(id)) {
    root.append(h('h1', {}, 'No such feed'),
      h('p', {}, 'This address names no feed. ', h('a', { href: '#/feeds' }, 'See your feeds.')));
    return null;
  }
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  api(`/api/v1/lists/${id}`).then(({ data }) => {
    heading.textContent = data.title;
    document.title = `${data.title} · partyline`;
  }).catch((e) => {
    problem.replaceChildren(e.status === 404
      ? 'This feed does not exist, or it is not yours. '
      : `Could not load this feed's name: ${e.message} `,
    h('a', { href: '#/feeds' }, 'See your feeds.'));
    problem.hidden = false;
  });
  const order = parseOrder(args.slice(1));
  const label = 'Feed posts';
  const empty = 'Nothing in this feed yet. Add people, channels, hashtags or keywords to it.';
  const t = order.top
    ? topTimeline({ feed: `list:${id}`, window: order.window, label, empty })
    : timeline({ path: `/api/v1/timelines/list/${id}`, label, empty, stream: { stream: 'list', list: id } });
  root.append(head, problem, orderSwitch(`#/list/${id}`, order), t.el);
  return t.destroy;
}
