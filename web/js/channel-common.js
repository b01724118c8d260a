// channel-common.js — what the channel screens share: the words for a channel's kind and
// one's role in it, and the join / ask-to-join / leave control, which the browse list and
// a channel's own page both show. The server's Channel entity is docs/api.md "Channels".

import { api } from './api.js';
import { h } from './dom.js';

export const ROLE_NAMES = { owner: 'Owner', moderator: 'Moderator', member: 'Member' };
const RANK = { member: 1, moderator: 2, owner: 3 };

/** The rank of a role (0 for none), to compare "below your own role". */
export const rank = (role) => RANK[role] ?? 0;
/** The role one acts with: one's role as a member, or for an administrator who has not
 *  joined (can_moderate without membership, docs/api.md "Channels") the owner's powers. */
export const actingRole = (ch) => ch.role || (ch.can_moderate ? 'owner' : null);
export const isModerator = (ch) => ch.can_moderate ?? rank(ch.role) >= RANK.moderator;
export const channelName = (ch) => ch.display_name || ch.name;

export function membersText(n) {
  return n === 1 ? '1 member' : `${n} members`;
}

/** For those who moderate the channel: a badge of the requests to join waiting, leading to
 *  where they are answered; null when none wait (or the viewer does not moderate it). */
export function requestsBadge(ch) {
  const n = isModerator(ch) ? ch.requests_count ?? 0 : 0;
  if (!n) return null;
  return h('a', { class: 'badge requests-badge', href: `#/channel/${encodeURIComponent(ch.id)}/members` },
    n === 1 ? '1 asking to join' : `${n} asking to join`);
}

/** "Private" or "Public", a tag a person reads and a screen reader speaks. */
export function kindTag(ch) {
  return h('span', { class: `tag ${ch.private ? 'private' : 'public'}` },
    ch.private ? 'Private' : 'Public');
}

/**
 * The membership control for a channel: Join (public), Ask to join (private), "Requested"
 * with a way to withdraw, or Leave. onChange(newChannel) runs after the server agreed; an
 * error is shown beside the control, which stays as it was so the person can retry.
 */
export function membershipControl(ch, onChange) {
  const box = h('div', { class: 'membership' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const name = channelName(ch);

  async function act(button, path) {
    button.disabled = true;
    error.hidden = true;
    try {
      const { data } = await api(`/api/v1/partyline/channels/${ch.id}/${path}`, { method: 'POST' });
      onChange(data);
    } catch (e) {
      error.textContent = `${e.message} Try again in a moment.`;
      error.hidden = false;
      button.disabled = false;
    }
  }

  let button = null;
  if (ch.everyone) {
    box.append(h('span', { class: 'muted' }, 'Everyone is in this channel'));
    return box;
  }
  if (ch.member) {
    button = h('button', { type: 'button', class: 'quiet', 'aria-label': `Leave ${name}` }, 'Leave');
    button.addEventListener('click', () => act(button, 'leave'));
  } else if (ch.requested) {
    box.append(h('span', { class: 'tag requested' }, 'Requested'));
    button = h('button', { type: 'button', class: 'quiet', 'aria-label': `Withdraw request to join ${name}` },
      'Withdraw request');
    button.addEventListener('click', () => act(button, 'leave'));
  } else if (ch.private && !ch.can_moderate) {
    button = h('button', { type: 'button', 'aria-label': `Ask to join ${name}` }, 'Ask to join');
    button.addEventListener('click', () => act(button, 'join'));
  } else {
    button = h('button', { type: 'button', 'aria-label': `Join ${name}` }, 'Join');
    button.addEventListener('click', () => act(button, 'join'));
  }
  box.append(button, error);
  return box;
}
