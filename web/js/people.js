// people.js — what the profile, notifications and messages screens share: a person's name
// and link, a paged list of people (followers, following, follow requests), and the unread
// badges after something was read.

import { avatarImg } from './avatar.js';
import { h } from './dom.js';
import { pagedList } from './paged.js';
import { refreshUnread } from './unread.js';

export const displayName = (a) => a.display_name || a.username;

/** "Ada, Ben and 2 others" */
export function namesOf(accounts, max = 3) {
  const names = accounts.map(displayName);
  if (names.length <= 1) return names[0] ?? 'nobody';
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const rest = names.length - (max - 1);
  return `${names.slice(0, max - 1).join(', ')} and ${rest} others`;
}

export const profileHref = (a) => `#/profile/${encodeURIComponent(a.id)}`;

/** A person as a link to their profile: avatar, name and @acct. */
export function personLink(a) {
  return h('a', { href: profileHref(a), class: 'person' },
    avatarImg(a, 40),
    h('span', { class: 'who' }, h('span', { class: 'name' }, displayName(a)), ' ',
      h('span', { class: 'acct' }, `@${a.acct}`)));
}

/**
 * A paged list of accounts (Mastodon paging through the Link header), each a link to the
 * profile, with optional controls per row: actions(account, li) => [elements].
 */
export function accountList({ path, label, empty, actions = null }) {
  const [base, query] = path.split('?');
  const list = h('ul', { class: 'people', 'aria-label': label });
  const paged = pagedList({
    list, path: base, params: Object.fromEntries(new URLSearchParams(query ?? '')), empty, what: 'the list',
    row: (a) => {
      const li = h('li', { class: 'card person-row' }, personLink(a));
      if (actions) li.append(h('div', { class: 'actions' }, actions(a, li)));
      return li;
    },
  });
  return h('div', {}, list, paged.state, paged.moreRow);
}

/**
 * Brings the notification and message badges up to date after something was read.
 * Kept here, one function, so it can be pointed at unread.js's refreshUnread() when the
 * two branches meet.
 */
/** Re-reads the unread counts after this screen marked something read. */
export const refreshBadges = refreshUnread;

/** A button that runs an async action, disabled while it runs; errors go to errorEl. */
export function actionButton(label, run, { cls = '', errorEl = null, attrs = {} } = {}) {
  const b = h('button', { type: 'button', class: cls, ...attrs }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    if (errorEl) errorEl.hidden = true;
    try {
      await run(b);
    } catch (e) {
      if (errorEl) {
        errorEl.textContent = `${label} did not work: ${e.message} Try again.`;
        errorEl.hidden = false;
      }
    } finally {
      b.disabled = false;
    }
  });
  return b;
}
