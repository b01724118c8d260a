// views/welcome.js — #/welcome: a new person's first minutes. Who sees what, in two sentences;
// channels to join and colleagues to follow, from the server's suggestions (GET
// /api/v2/suggestions: the colleagues of one's channels first, then the most followed people
// and channels of the company); and a last step that ends on a home feed with posts in it
// (following someone copies their recent posts into one's feed, joining a channel follows it).
//
// A person lands here after signing up, and the home feed offers it while they follow no one
// (welcomeCard); "Skip" or finishing remembers it on this device (localStorage), so it is
// offered once, never forced.

import { api } from '../api.js';
import { avatarImg } from '../avatar.js';
import { h } from '../dom.js';
import { instance } from '../instance.js';
import { me, myId } from '../me.js';
import { actionButton, displayName, profileHref } from '../people.js';

export const title = 'Welcome';

const SUGGESTIONS = 24;
const doneKey = () => `partyline.welcomed.${myId() ?? ''}`;

/** Remembers (on this device) that this person has seen the welcome. */
function markDone() {
  try { localStorage.setItem(doneKey(), '1'); } catch { /* private mode: offered again */ }
}

function welcomed() {
  try { return localStorage.getItem(doneKey()) === '1'; } catch { return false; }
}

/**
 * The home feed's invitation while one follows no one and has not finished or skipped the
 * welcome; null otherwise. Resolves after me() is known.
 */
export async function welcomeCard() {
  const account = await me().catch(() => null);
  if (!account || welcomed() || account.following_count > 0) return null;
  const skip = h('button', { type: 'button', class: 'quiet' }, 'Not now');
  const card = h('section', { class: 'card welcome-card', 'aria-labelledby': 'welcome-card-title' },
    h('h2', { id: 'welcome-card-title' }, 'Get started'),
    h('p', {}, 'Your feed fills with the people and channels you follow. Pick a few to begin.'),
    h('div', { class: 'row' }, h('a', { class: 'button', href: '#/welcome' }, 'Find people and channels'), skip));
  skip.addEventListener('click', () => {
    markDone();
    card.remove();
  });
  return card;
}

/** One suggestion: name, a line about them, and Follow / Join (a Mastodon follow either way). */
function suggestionRow(s, errorEl) {
  const a = s.account;
  const isChannel = Boolean(a.group);
  const verb = isChannel ? (a.locked ? 'Ask to join' : 'Join') : 'Follow';
  const about = (a.note ? new DOMParser().parseFromString(a.note, 'text/html').body.textContent.trim() : '')
    || (isChannel ? `${a.followers_count ?? 0} members` : `${a.followers_count ?? 0} followers`);
  const li = h('li', { class: 'card person-row suggestion' },
    h('a', { href: profileHref(a), class: 'person' },
      avatarImg(a, 40),
      h('span', { class: 'who' }, h('span', { class: 'name' }, displayName(a)), ' ',
        h('span', { class: 'acct' }, isChannel ? 'channel' : `@${a.acct}`))),
    h('p', { class: 'muted about' }, about.length > 140 ? `${about.slice(0, 139)}…` : about));
  const button = actionButton(verb, async (b) => {
    const { data } = await api(`/api/v1/accounts/${encodeURIComponent(a.id)}/follow`, { method: 'POST' });
    const done = data.following ? (isChannel ? 'Joined' : 'Following') : 'Asked';
    b.replaceWith(h('span', { class: 'done', role: 'status' }, `${done} ✓`));
  }, { errorEl, attrs: { 'aria-label': `${verb} ${displayName(a)}` } });
  li.append(h('div', { class: 'actions' }, button));
  return li;
}

export function render(root, { navigate }) {
  const company = h('span', {}, 'partyline');
  instance().then((i) => { if (i?.title) company.textContent = i.title; }).catch(() => {});
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const channels = h('ul', { class: 'people', 'aria-label': 'Channels to join' });
  const people = h('ul', { class: 'people', 'aria-label': 'Colleagues to follow' });
  const state = h('p', { class: 'empty', role: 'status' }, 'Finding channels and colleagues for you…');
  const finish = h('button', { type: 'button' }, 'Go to my home feed');
  const skip = h('button', { type: 'button', class: 'quiet' }, 'Skip');
  const leave = () => { markDone(); navigate('#/home'); };
  finish.addEventListener('click', leave);
  skip.addEventListener('click', leave);

  root.append(h('section', { class: 'onboarding' },
    h('h1', {}, 'Welcome to ', company),
    h('div', { class: 'card audiences' },
      h('h2', {}, 'Who sees what you post'),
      h('p', {}, 'Each post says who can see it: everyone in the company, only your followers, a channel, or just the people you name.'),
      h('p', {}, 'You choose it as you write, and the post shows it, so nothing reaches more people than you meant.')),
    h('h2', {}, 'Channels to join'),
    h('p', { class: 'muted' }, 'Channels are where teams and topics talk. Their posts come to your feed.'),
    channels,
    h('h2', {}, 'Colleagues to follow'),
    h('p', { class: 'muted' }, 'People who work with you, or whom many follow.'),
    people, state, error,
    h('div', { class: 'row welcome-end' }, finish, skip)));

  let alive = true;
  api(`/api/v2/suggestions?limit=${SUGGESTIONS}`).then(({ data }) => {
    if (!alive) return;
    for (const s of data) (s.account.group ? channels : people).append(suggestionRow(s, error));
    if (!channels.children.length) channels.replaceWith(h('p', { class: 'empty' }, 'No channel to suggest yet: browse them under Channels.'));
    if (!people.children.length) people.replaceWith(h('p', { class: 'empty' }, 'No one to suggest yet: search for a colleague by name.'));
    state.remove();
  }).catch((e) => {
    if (!alive) return;
    state.className = 'error';
    state.textContent = `Suggestions could not be loaded: ${e.message} You can skip this and find people under Search.`;
  });
  return () => { alive = false; };
}
