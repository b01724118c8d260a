// views/home.js — the home feed, first: a one-line "Share something…" opens the composer
// (opener.js), then the feed, newest first and live (the `user` stream's updates collect
// behind the "new posts" bar), or Top (#/home/top).

import { h, toast } from '../dom.js';
import { orderSwitch, parseOrder, topTimeline } from '../feedorder.js';
import { composeOpener } from '../opener.js';
import { saveHomeSnapshot, takeHomeSnapshot } from '../homesnapshot.js';
import { timeline } from '../timeline.js';
import { welcomeCard } from './welcome.js';

export const title = 'Home';

export function render(root, { args }) {
  const order = parseOrder(args);
  // the last visit's posts, drawn by the page before the code came: shown until the fresh
  // first page replaces them (Newest only; Top is another feed)
  const snapshot = takeHomeSnapshot();
  const save = () => saveHomeSnapshot(t.list);
  const t = order.top
    ? topTimeline({
      feed: 'home',
      window: order.window,
      label: 'Home feed',
      empty: 'No posts in this time yet. Try a longer time, or Newest.',
    })
    : timeline({
      path: '/api/v1/timelines/home',
      label: 'Home feed',
      empty: 'Nothing here yet. Follow people or post something.',
      stream: { stream: 'user' },
      placeholder: snapshot,
      // saved after the page is drawn, out of the way of the first paint
      onDrawn: () => setTimeout(save, 0),
    });
  // the feed as it is when the person leaves, for the next visit
  const onHide = () => { if (document.visibilityState === 'hidden' && !order.top) save(); };
  document.addEventListener('visibilitychange', onHide);
  // the welcome's card, for one who follows no one yet: its place until that is known
  const invitation = h('div', { class: 'welcome-slot', hidden: true });
  welcomeCard().then((card) => (card ? invitation.replaceWith(card) : invitation.remove()),
    () => invitation.remove());
  const opener = composeOpener({
    onPosted: (s) => {
      if (order.top) toast('Your post is published. New posts show under Newest.');
      else t.prepend(s);
    },
  });
  root.append(h('h1', { class: 'visually-hidden' }, 'Home'), invitation, opener.el,
    orderSwitch('#/home', order), t.el);
  return () => {
    opener.destroy();
    document.removeEventListener('visibilitychange', onHide);
    t.destroy?.();
  };
}
