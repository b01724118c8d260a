// status.js — one post (a Mastodon Status) as an <article> in a list item: who wrote it
// (their avatar and name, a link to their profile), when (a link to the thread), who sees it, the text (a content
// warning folds it into <details>), its files (media.js), a poll, and the action bar (actions.js).
// A ticket's root carries a small badge (state, priority) linking to the ticket (tickets.js).
// Hashtag and mention links inside the server's HTML are pointed at our own screens.
//
//   list.append(statusCard(status));
//   statusCard(status, { focus: true, onReply: (reply) => ..., onDeleted: (id) => ... })
//
// opts.focus      the post a thread page is about: larger, and its date in full
// opts.onReply    called with a reply posted from the card's inline composer
// opts.onDeleted  called with the id after the person deleted their post (the card is gone)
// opts.readOnly   no action bar: a signed-out visitor reading a public post
//
// The person's filters (Status.filtered): a `warn` match shows "Filtered: <title>" with Show
// anyway instead of the post, a `hide` match (which the server leaves out of pages) is hidden.
//
// Cards are built synchronously and cheaply (a feed draws 40 in under 100 ms): no request
// is made per card, except a channel's name, once per channel per page load.

import { actionBar } from './actions.js';
import { audienceLabel } from './audience.js';
import { avatarImg } from './avatar.js';
import { h, serverHtml } from './dom.js';
import { mediaView } from './media.js';
import { pollView } from './poll.js';
import { ticketBadge } from './tickets.js';

const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

/** Points the server's hashtag and mention links at #/tag/… and #/profile/…. */
function localLinks(content, st) {
  const links = content.querySelectorAll('a.mention, a.hashtag, a[rel~="tag"]');
  for (const a of links) {
    let to = null;
    const word = a.textContent.trim();
    if (a.classList.contains('hashtag') || a.relList.contains('tag')) {
      const name = word.replace(/^#/, '');
      const tag = (st.tags ?? []).find((t) => t.name.toLowerCase() === name.toLowerCase());
      to = `#/tag/${encodeURIComponent(tag?.name ?? name.toLowerCase())}`;
    } else {
      const m = (st.mentions ?? []).find((x) => x.url === a.href || `@${x.acct}` === word || `@${x.username}` === word);
      if (m) to = `#/profile/${encodeURIComponent(m.id)}`;
    }
    if (to) {
      a.href = to;
      a.removeAttribute('target');
      a.removeAttribute('rel');
    }
  }
}

function body(st) {
  const content = serverHtml('div', { class: 'content' }, st.content);
  localLinks(content, st);
  const inner = [content, mediaView(st), st.poll && pollView(st.poll)];
  if (!st.spoiler_text) return inner;
  return h('details', { class: 'cw' },
    h('summary', {}, h('span', { class: 'cw-label' }, 'Content warning: '), st.spoiler_text,
      h('span', { class: 'cw-hint' }, ' (show)')),
    inner);
}

/** The <article> of a status; rebuilt in place after an edit. */
function article(s, opts, li) {
  const boost = s.reblog ? s : null;
  const st = s.reblog ?? s;
  const who = st.account.display_name || st.account.username;
  const when = new Date(st.created_at);
  const art = h('article', {
    class: `status card${opts.focus ? ' focus' : ''}`, 'data-id': s.id, 'aria-label': `Post by ${who}`,
  },
  boost && h('p', { class: 'boosted' }, avatarImg(boost.account, 20, 'small'),
    `${boost.account.display_name || boost.account.username} boosted`),
  h('header', {},
    h('a', { class: 'name', href: `#/profile/${encodeURIComponent(st.account.id)}` }, avatarImg(st.account, 44), who),
    h('span', { class: 'acct' }, `@${st.account.acct}`),
    h('span', { class: 'meta' },
      audienceLabel(st),
      st.edited_at && h('span', { class: 'edited', title: `Edited ${timeFmt.format(new Date(st.edited_at))}` }, 'Edited'),
      h('a', { class: 'time', href: `#/status/${encodeURIComponent(st.id)}` },
        h('time', { datetime: st.created_at }, (opts.focus ? fullFmt : timeFmt).format(when))))),
  ticketBadge(st),
  body(st));
  if (opts.readOnly) return art;
  art.append(actionBar(st, {
    ...opts,
    article: art,
    boosted: !!boost,
    replace(updated) {
      // an edit: the same card, redrawn from the server's answer
      const next = article(boost ? { ...s, reblog: updated } : updated, opts, li);
      art.replaceWith(next);
      next.querySelector('.actions button')?.focus();
    },
    remove() {
      const after = li.nextElementSibling ?? li.previousElementSibling;
      li.remove();
      (after?.querySelector('a, button') ?? document.getElementById('view'))?.focus();
      opts.onDeleted?.(st.id);
    },
  }));
  return art;
}

/** The person's filters that matched the post (Status.filtered, a boost's or its post's). */
function filterMatches(s) {
  return [...(s.filtered ?? []), ...(s.reblog?.filtered ?? [])].filter((r) => r?.filter);
}

/**
 * A post one of the person's filters warns about: "Filtered: <title>" and Show anyway in
 * place of the post (as Mastodon's web). The server leaves `hide` matches out of pages; one
 * arriving otherwise (live) is drawn hidden, so feeds still know it is there.
 */
function filteredNotice(s, titles, opts, li) {
  const show = h('button', { type: 'button', class: 'quiet' }, 'Show anyway');
  const notice = h('article', { class: 'status card filtered', 'data-id': s.id, 'aria-label': 'Filtered post' },
    h('p', {}, `Filtered: ${titles.join(', ')}`, ' ', show));
  show.addEventListener('click', () => {
    const full = article(s, opts, li);
    notice.replaceWith(full);
    full.tabIndex = -1;
    full.focus();
  });
  return notice;
}

export function statusCard(s, opts = {}) {
  const li = h('li', {});
  const matches = filterMatches(s);
  const titles = [...new Set(matches.map((r) => r.filter.title))];
  if (matches.some((r) => r.filter.filter_action === 'hide') && !opts.focus) {
    li.hidden = true;
    li.append(article(s, opts, li));
  } else if (titles.length) {
    li.append(filteredNotice(s, titles, opts, li));
  } else {
    li.append(article(s, opts, li));
  }
  return li;
}
