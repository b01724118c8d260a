// views/channel.js — one channel: #/channel/<id> (its posts, newest first and live),
// #/channel/<id>/top[/<window>] (its Top posts), #/channel/<id>/members and, for
// moderators, #/channel/<id>/settings (channel-settings.js). The header says what the
// channel is and one's place in it; pinned announcements sit above the posts; members post
// through the composer; a private channel's outsiders get an explanation and Ask to join.
// Moderators get a small menu on each post (pin, unpin, remove from the channel), added
// here to the cards timeline.js draws, so status.js stays as is.
//
// Live posts: the channel's own stream ("partyline:channel", docs/api.md), which the server
// opens to whoever may read the channel's timeline — members, anyone in the company for an
// open channel, administrators — and which carries exactly that timeline's new posts, edits
// and deletes. So a non-member reading an open channel gets the same "new posts" bar as a
// member, and a post a moderator removes, or one by someone the reader muted, never comes.

import { api } from '../api.js';
import { avatarImg, headerImg } from '../avatar.js';
import {
  channelName, isModerator, kindTag, membersText, membershipControl, requestsBadge, ROLE_NAMES,
} from '../channel-common.js';
import { membersSection } from '../channel-members.js';
import { settingsSection } from '../channel-settings.js';
import { composeForm } from '../compose.js';
import { confirmInline } from '../confirm.js';
import { h, serverHtml, toast } from '../dom.js';
import { orderSwitch, parseOrder, topTimeline } from '../feedorder.js';
import { statusCard } from '../status.js';
import { timeline } from '../timeline.js';

export const title = 'Channel';

// A private channel's outsider reading its posts tab gets the Ask-to-join button in the
// explanation below instead, so the page has one such button, not two.
function header(ch, onChange, withControl = true) {
  const banner = headerImg(ch.account);
  if (banner) banner.className = 'channel-banner';
  return h('header', { class: 'channel-header card' },
    banner,
    h('div', { class: 'channel-title' }, avatarImg(ch.account, 64, 'large'), h('h1', {}, channelName(ch))),
    h('p', { class: 'acct' }, `@${ch.name}`),
    ch.note ? serverHtml('div', { class: 'channel-note' }, ch.note) : null,
    h('p', { class: 'channel-facts' }, kindTag(ch), ' ', membersText(ch.members_count),
      ch.posting === 'moderators' ? ' · Announcements: moderators post' : '',
      ' · ', ch.role ? `Your role: ${ROLE_NAMES[ch.role] ?? ch.role}`
        : ch.can_moderate ? 'You are not a member; as an administrator you moderate it'
          : 'You are not a member',
      ' ', requestsBadge(ch)),
    withControl ? membershipControl(ch, onChange) : null);
}

function tabs(ch, current) {
  const tab = (href, label, name) => h('a', {
    href, class: 'tab', 'aria-current': current === name ? 'page' : null,
  }, label);
  const requests = isModerator(ch) && ch.requests_count > 0 ? ` (${ch.requests_count} asking to join)` : '';
  return h('nav', { class: 'tabs', 'aria-label': 'Channel sections' },
    tab(`#/channel/${ch.id}`, 'Posts', 'posts'),
    tab(`#/channel/${ch.id}/members`, `Members${requests}`, 'members'),
    isModerator(ch) && tab(`#/channel/${ch.id}/settings`, 'Settings', 'settings'));
}

/**
 * Adds the moderator menu to every post card that appears in list (now and later, as pages
 * load): pin or unpin, and take the post out of the channel.
 */
function moderate(list, ch, pinned, { reloadPins, removed }) {
  const pinLabel = (id) => (pinned.has(id) ? 'Unpin' : 'Pin to top');
  const add = (li) => {
    const article = li.querySelector?.('article.status');
    if (!article || li.querySelector('.mod-menu')) return;
    const id = article.dataset.id;
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const run = async (button, method, path, done) => {
      button.disabled = true;
      error.hidden = true;
      try {
        await api(`/api/v1/partyline/channels/${ch.id}/${path}/${id}`, { method });
        done();
      } catch (e) {
        error.textContent = `${e.message}`;
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    };
    const pin = h('button', { type: 'button', class: 'quiet', 'data-pin': id }, pinLabel(id));
    pin.addEventListener('click', () => {
      const isPinned = pinned.has(id); // as the pins are now, not as when the card was drawn
      run(pin, isPinned ? 'DELETE' : 'POST', 'pins', () => {
        toast(isPinned ? 'Unpinned' : 'Pinned to the top of the channel');
        reloadPins();
      });
    });
    const remove = h('button', { type: 'button', class: 'quiet danger' }, 'Remove from channel');
    remove.addEventListener('click', () => {
      error.hidden = true;
      confirmInline(remove, {
        question: 'Remove this post from the channel?',
        detail: 'Only its author and the moderators will still see it.',
        yes: 'Remove',
        fail: 'The post was not removed',
        onYes: async () => {
          await api(`/api/v1/partyline/channels/${ch.id}/statuses/${id}`, { method: 'DELETE' });
          toast('Post removed from the channel');
          removed(id);
        },
      });
    });
    article.append(h('details', { class: 'mod-menu' },
      h('summary', { 'aria-label': `Moderate ${article.getAttribute('aria-label') ?? 'post'}` }, 'Moderate'),
      h('div', { class: 'mod-actions' }, pin, remove), error));
  };
  // the pins changed: each menu's pin button says so in place (a menu someone has open stays
  // open, its buttons where they are)
  const refresh = () => {
    for (const b of list.querySelectorAll('.mod-menu [data-pin]')) b.textContent = pinLabel(b.dataset.pin);
    for (const li of list.children) add(li);
  };
  refresh();
  const obs = new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) add(n);
  });
  obs.observe(list, { childList: true });
  return { stop: () => obs.disconnect(), refresh };
}

function postsSection(ch, cleanups, changed, order) {
  const wrap = h('div', { class: 'channel-posts' });
  const member = ch.member;
  const canPost = member && (ch.posting !== 'moderators' || isModerator(ch));
  if (!member && ch.private && !ch.can_moderate) {
    wrap.append(h('section', { class: 'card notice', 'aria-label': 'Private channel' },
      h('h2', {}, 'This channel is private'),
      h('p', {}, ch.requested
        ? 'You asked to join. A moderator will answer; once you are in, its posts show here.'
        : 'Only its members read its posts and see who is in it. Ask to join: a moderator of the channel decides.'),
      membershipControl(ch, changed)));
    return wrap;
  }
  const pinned = new Set();
  const pinList = h('ol', { class: 'feed pins', 'aria-label': 'Pinned announcements' });
  const pinSection = h('section', { class: 'pinned', hidden: true, 'aria-labelledby': 'pins-h' },
    h('h2', { id: 'pins-h' }, 'Pinned announcements'), pinList);
  const label = 'Channel posts';
  const t = order.top
    ? topTimeline({
      feed: `channel:${ch.id}`, window: order.window, label,
      empty: 'No posts in this time yet. Try a longer time, or Newest.',
    })
    : timeline({
      path: `/api/v1/partyline/channels/${ch.id}/timeline`,
      label,
      empty: member ? 'No posts yet. Write the first one.' : 'No posts yet.',
      stream: { stream: 'partyline:channel', channel: ch.id },
    });
  cleanups.push(t.destroy);

  async function loadPins() {
    try {
      const { data } = await api(`/api/v1/partyline/channels/${ch.id}/pins`);
      pinned.clear();
      for (const s of data) pinned.add(s.id);
      pinList.replaceChildren(...data.map(statusCard));
      pinSection.hidden = data.length === 0;
      // the menus say Pin or Unpin: redraw them with the new pins
      for (const m of menus) m.refresh();
    } catch (e) {
      pinSection.hidden = false;
      pinList.replaceChildren(h('li', { class: 'error' }, `Could not load the pinned posts: ${e.message}`));
    }
  }
  const menus = [];
  if (isModerator(ch)) {
    const removed = (id) => {
      for (const a of wrap.querySelectorAll(`article[data-id="${CSS.escape(id)}"]`)) a.closest('li')?.remove();
      loadPins();
    };
    menus.push(moderate(t.list, ch, pinned, { reloadPins: loadPins, removed }),
      moderate(pinList, ch, pinned, { reloadPins: loadPins, removed }));
    cleanups.push(...menus.map((m) => m.stop));
  }
  loadPins();

  if (canPost) {
    wrap.append(composeForm({
      label: `Post to ${channelName(ch)}`,
      channel: ch, // the picker says who reads the channel, instead of offering audiences
      onPosted: (s) => {
        if (order.top) toast('Your post is published. New posts show under Newest.');
        else t.prepend(s);
      },
    }));
  } else if (member) {
    wrap.append(h('p', { class: 'card notice' }, 'Only the moderators post in this channel. You can reply to its posts.'));
  } else {
    wrap.append(h('p', { class: 'card notice' }, 'Join the channel to post in it.'));
  }
  wrap.append(pinSection, h('h2', { class: 'visually-hidden' }, 'Posts'),
    orderSwitch(`#/channel/${ch.id}`, order), t.el);
  return wrap;
}

export function render(root, { args, navigate }) {
  const [id, section] = args;
  // 'members' and 'settings' are sections; anything else is the posts, maybe in Top order
  const tab = section === 'members' || section === 'settings' ? section : 'posts';
  const order = parseOrder(args.slice(1));
  const cleanups = [];
  const body = h('div', { class: 'channel' }, h('p', { class: 'empty', role: 'status' }, 'Loading the channel…'));
  root.append(body);

  async function draw() {
    let ch;
    try {
      ({ data: ch } = await api(`/api/v1/partyline/channels/${encodeURIComponent(id ?? '')}`));
    } catch (e) {
      body.replaceChildren(h('h1', {}, 'Channel not available'),
        h('p', { class: 'error', role: 'alert' }, e.status === 404
          ? 'There is no such channel, or it was deleted.'
          : `Could not load the channel: ${e.message}`),
        h('p', {}, h('a', { href: '#/channels' }, 'Browse channels')));
      return;
    }
    document.title = `${channelName(ch)} · partyline`;
    while (cleanups.length) cleanups.pop()();
    const changed = (next) => {
      toast(next.member ? `You joined ${channelName(next)}` : next.requested ? 'Asked to join' : `You left ${channelName(next)}`);
      draw().then(() => body.querySelector('.membership button')?.focus());
    };
    const explained = ch.private && !ch.member && !ch.can_moderate && tab === 'posts';
    let head = header(ch, changed, !explained);
    const content = tab === 'members' ? membersSection(ch, { onChannel: () => draw(), navigate })
      : tab === 'settings' ? settingsSection(ch, {
        onSaved: (next) => {
          // the header shows the new name and rules; the form keeps what was typed
          const fresh = header(next, changed, true);
          head.replaceWith(fresh);
          head = fresh;
          document.title = `${channelName(next)} · partyline`;
        },
      })
        : postsSection(ch, cleanups, changed, order);
    body.replaceChildren(head, tabs(ch, tab), content);
  }
  draw();
  return () => { while (cleanups.length) cleanups.pop()(); };
}
