// views/profile.js — a person's profile. #/profile is yours, #/profile/<id> anyone's,
// #/profile/<id>/followers and /following their people, #/profile/edit your settings
// (profile-edit.js). The header is what the person chose to show (bio, fields, counts
// unless hide_collections), their featured (pinned) posts come first, then their posts.
// #/profile/@name is where a shared Account.url lands (links.js): the name is looked up and
// the address becomes the id's.

import { api } from '../api.js';
import { avatarImg, headerImg } from '../avatar.js';
import { h, serverHtml } from '../dom.js';
import { me } from '../me.js';
import { accountList, displayName, profileHref } from '../people.js';
import { pinControl } from '../pins.js';
import { renderEdit } from '../profile-edit.js';
import { relationshipControls } from '../relationship.js';
import { reportForm } from '../report.js';
import { statusCard } from '../status.js';
import { timeline } from '../timeline.js';

export const title = 'Profile';

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** The account of a route's id, or of "@name" (then the address is put right). */
async function load(idOrName) {
  if (!idOrName.startsWith('@')) {
    return (await api(`/api/v1/accounts/${encodeURIComponent(idOrName)}`)).data;
  }
  const { data } = await api(`/api/v1/accounts/lookup?acct=${encodeURIComponent(idOrName.slice(1))}`);
  const rest = location.hash.split('/').slice(3).join('/');
  history.replaceState(null, '', `#/profile/${encodeURIComponent(data.id)}${rest ? `/${rest}` : ''}`);
  return data;
}

export function render(root, { args, navigate }) {
  if (args[0] === 'edit') return renderEdit(root, { navigate });
  const cleanups = [];
  let gone = false; // left before the profile arrived: start no feed
  const status = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  root.append(status);
  (async () => {
    try {
      const self = await me();
      const account = await load(args[0] || self.id);
      if (gone) return;
      status.remove();
      const mine = account.id === self.id;
      const list = args[1];
      if (list === 'followers' || list === 'following') {
        root.append(...people(account, mine, list));
      } else {
        document.title = `${displayName(account)} · partyline`;
        root.append(header(account, mine, self));
        cleanups.push(posts(root, account, mine));
      }
    } catch (e) {
      status.className = 'error';
      status.textContent = e.status === 404
        ? 'There is no such person here (or they are not visible to you). Check the address, or find them with Search.'
        : `Could not load this profile: ${e.message} Reload the page to try again.`;
    }
  })();
  return () => { gone = true; cleanups.forEach((fn) => fn()); };
}

function header(a, mine, self) {
  const hidden = a.hide_collections && !mine;
  const counts = h('ul', { class: 'counts', 'aria-label': 'Counts' });
  const drawCounts = (x) => counts.replaceChildren(
    h('li', {}, count(x.statuses_count, 'post', 'posts')),
    h('li', {}, h('a', { href: `${profileHref(x)}/followers` }, count(x.followers_count, 'follower', 'followers'))),
    h('li', {}, h('a', { href: `${profileHref(x)}/following` }, `${x.following_count} following`)),
    // the influence badge: on one's own profile always, on another's when they show it
    ...(x.partyline?.influence ? [h('li', { class: 'influence-badge' }, mine
      ? h('a', { href: '#/influence' }, `Influence ${x.partyline.influence.score}`)
      : `Influence ${x.partyline.influence.score}`)] : []));
  drawCounts(a);
  const fields = (a.fields ?? []).length
    ? h('dl', { class: 'fields' }, a.fields.map((f) => [
      h('dt', {}, f.name),
      serverHtml('dd', {}, f.value)]))
    : null;
  let actions;
  if (mine) {
    const requests = self.source?.follow_requests_count ?? 0;
    actions = h('div', { class: 'actions' },
      h('a', { class: 'button', href: '#/profile/edit' }, 'Edit profile'),
      (a.locked || requests > 0) && h('a', { class: 'button quiet', href: '#/follow-requests' },
        requests ? `Follow requests (${requests})` : 'Follow requests'));
  } else {
    // following or blocking changes the counts: show the server's
    actions = [relationshipControls(a, {
      onChange: () => api(`/api/v1/accounts/${encodeURIComponent(a.id)}`)
        .then(({ data }) => drawCounts(data)).catch(() => {}),
    }),
    // a channel is written to by posting in it, not by direct message
    !a.group && reportArea(a, h('a', { class: 'button quiet', href: `#/messages/new/${encodeURIComponent(a.id)}` }, 'Message'))];
  }
  return h('section', { class: 'profile card', 'aria-labelledby': 'profile-name' },
    h('div', { class: 'profile-top' }, headerImg(a), avatarImg(a, 96, 'large')),
    h('h1', { id: 'profile-name' }, displayName(a)),
    h('p', { class: 'acct' }, `@${a.acct}`,
      a.locked && h('span', { class: 'tag' }, 'Approves followers'),
      a.bot && h('span', { class: 'tag' }, 'Automated'),
      a.group && h('span', { class: 'tag' }, 'Channel')),
    a.note ? serverHtml('div', { class: 'bio' }, a.note) : (mine && h('p', { class: 'muted' }, 'No bio yet.')),
    fields,
    counts,
    hidden && h('p', { class: 'muted' }, `${displayName(a)} keeps who follows them and whom they follow private.`),
    mine && a.hide_collections && h('p', { class: 'muted' }, 'Your followers and following are hidden from others.'),
    mine && self.source?.hide_boosts && h('p', { class: 'muted' }, 'Your boosts are kept off your profile.'),
    actions);
}

/** The featured posts, then the posts with the replies choice. Returns the cleanup. */
function posts(root, a, mine) {
  const base = `/api/v1/accounts/${encodeURIComponent(a.id)}/statuses`;
  const featuredList = h('ol', { class: 'feed', 'aria-label': 'Featured posts' });
  const featuredNote = h('p', { class: 'muted', role: 'status' });
  const featured = h('section', { class: 'featured', 'aria-labelledby': 'featured-h', hidden: true },
    h('h2', { id: 'featured-h' }, 'Featured posts'), featuredList, featuredNote);
  let t = null;
  // a pin changed: the featured list is read again
  const decorate = mine ? (li, s) => {
    const c = pinControl(s, { onChange: () => loadFeatured() });
    if (c) li.querySelector('article')?.append(c);
  } : null;

  async function loadFeatured() {
    try {
      const { data } = await api(`${base}?pinned=true&limit=40`);
      featuredList.replaceChildren(...data.map((s) => {
        const li = statusCard(s);
        decorate?.(li, s);
        return li;
      }));
      featuredNote.textContent = '';
      featured.hidden = data.length === 0 && !mine;
      if (!data.length && mine) featuredNote.textContent = 'Pin up to five of your posts to show them here first: use "Pin to profile" on a post below.';
      // the same post may be in the feed below: its button follows the server's answer
      const ids = new Set(data.map((s) => s.id));
      for (const b of t?.list.querySelectorAll('button.pin') ?? []) {
        b.dispatchEvent(new CustomEvent('pinstate', { detail: ids.has(b.dataset.id) }));
      }
    } catch (e) {
      featured.hidden = false;
      featuredNote.className = 'error';
      featuredNote.textContent = `Could not load the featured posts: ${e.message}`;
    }
  }

  const name = `choice-replies-${a.id}`;
  const choice = h('fieldset', { class: 'choice' },
    h('legend', {}, 'Show'),
    h('label', {}, h('input', { type: 'radio', name, value: 'posts', checked: true }), ' Posts'),
    h('label', {}, h('input', { type: 'radio', name, value: 'all' }), ' Posts and replies'));
  const feedSlot = h('div', {});
  function showFeed(withReplies) {
    t?.destroy();
    t = timeline({
      path: base,
      params: withReplies ? {} : { exclude_replies: 'true' },
      label: `Posts by ${displayName(a)}`,
      empty: mine ? 'You have not posted yet.' : `${displayName(a)} has not posted yet, or nothing is visible to you.`,
      decorate,
    });
    feedSlot.replaceChildren(t.el);
  }
  choice.addEventListener('change', (e) => showFeed(e.target.value === 'all'));
  root.append(featured, h('section', { 'aria-labelledby': 'posts-h' },
    h('h2', { id: 'posts-h' }, 'Posts'), choice, feedSlot));
  showFeed(false);
  loadFeatured();
  return () => t?.destroy();
}

function people(a, mine, which) {
  const who = displayName(a);
  const heading = which === 'followers' ? `People following ${who}` : `People ${who} follows`;
  document.title = `${heading} · partyline`;
  const back = h('p', {}, h('a', { href: profileHref(a) }, `Back to ${mine ? 'your profile' : `${who}'s profile`}`));
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Followers and following' },
    h('a', { href: `${profileHref(a)}/followers`, 'aria-current': which === 'followers' ? 'page' : null }, 'Followers'),
    h('a', { href: `${profileHref(a)}/following`, 'aria-current': which === 'following' ? 'page' : null }, 'Following'));
  if (a.hide_collections && !mine) {
    return [h('h1', {}, heading), back, tabs,
      h('p', { class: 'empty' }, `${who} keeps this list private. They have ${count(a.followers_count, 'follower', 'followers')} and follow ${a.following_count}.`)];
  }
  return [h('h1', {}, heading), back, tabs,
    accountList({
      path: `/api/v1/accounts/${encodeURIComponent(a.id)}/${which}`,
      label: which === 'followers' ? 'Followers' : 'Following',
      empty: which === 'followers' ? 'No followers yet.' : 'Not following anyone yet.',
    })];
}

/** Message and Report for another person; Report opens its form below (report.js). */
function reportArea(a, message) {
  const report = h('button', { type: 'button', class: 'quiet', 'aria-expanded': 'false' }, 'Report');
  const slot = h('div', {});
  const close = () => {
    slot.replaceChildren();
    report.setAttribute('aria-expanded', 'false');
    report.focus();
  };
  report.addEventListener('click', () => {
    if (report.getAttribute('aria-expanded') === 'true') { close(); return; }
    report.setAttribute('aria-expanded', 'true');
    slot.replaceChildren(reportForm({
      account: a,
      onCancel: close,
      onDone: () => {
        report.setAttribute('aria-expanded', 'false');
        report.disabled = true;
        report.textContent = 'Reported';
        slot.replaceChildren(h('p', { class: 'muted', tabindex: '-1' }, 'Reported. The moderators will look at it.'));
        slot.firstChild.focus();
      },
    }));
  });
  return h('div', {}, h('div', { class: 'actions' }, message, report), slot);
}
