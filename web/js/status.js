// status.js — one post (a Mastodon Status) as an <article>.

import { h, serverHtml } from './dom.js';

const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function statusCard(s) {
  const boost = s.reblog ? s : null;
  const st = s.reblog ?? s;
  const who = st.account.display_name || st.account.username;
  const when = new Date(st.created_at);
  return h('li', {},
    h('article', { class: 'status card', 'data-id': s.id, 'aria-label': `Post by ${who}` },
      boost && h('p', { class: 'boosted' }, `${boost.account.display_name || boost.account.username} boosted`),
      h('header', {},
        h('span', { class: 'name' }, who),
        h('span', { class: 'acct' }, `@${st.account.acct}`),
        h('time', { datetime: st.created_at }, timeFmt.format(when))),
      st.spoiler_text
        ? h('details', {}, h('summary', {}, st.spoiler_text), serverHtml('div', { class: 'content' }, st.content))
        : serverHtml('div', { class: 'content' }, st.content)));
}
