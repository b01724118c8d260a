// views/channels.js — browse channels (#/channels): yours first, then the others, each with
// whether it is private, how many are in it and a join / ask-to-join / leave button; and
// the form that creates a channel. A channel's own page is views/channel.js.

import { api } from '../api.js';
import { avatarImg } from '../avatar.js';
import {
  channelName, kindTag, membersText, membershipControl, requestsBadge, ROLE_NAMES,
} from '../channel-common.js';
import { h, toast } from '../dom.js';
import { pagedList } from '../paged.js';

export const title = 'Channels';

function channelItem(ch, onChange) {
  const name = channelName(ch);
  return h('li', { class: 'channel-item card', 'data-id': ch.id },
    h('div', { class: 'channel-main' },
      h('a', { href: `#/channel/${ch.id}`, class: 'channel-link' }, avatarImg(ch.account, 40), name),
      h('span', { class: 'acct' }, `#${ch.name}`)),
    h('p', { class: 'channel-facts' }, kindTag(ch), ' ', membersText(ch.members_count),
      ch.role ? ` · ${ROLE_NAMES[ch.role] ?? ch.role}` : '', ' ', requestsBadge(ch)),
    membershipControl(ch, onChange));
}

/** A section listing channels page by page (Link: next), with "Show more" for the rest. */
function channelSection({ heading, query, keep, empty, onChange }) {
  const list = h('ul', { class: 'channel-list', 'aria-label': heading });
  const id = `h-${heading.replace(/\W+/g, '-').toLowerCase()}`;
  const paged = pagedList({
    list, path: '/api/v1/partyline/channels', params: query, keep, empty, what: 'channels',
    moreLabel: 'Show more channels', row: (ch) => channelItem(ch, onChange),
  });
  const section = h('section', { class: 'channels-section', 'aria-labelledby': id },
    h('h2', { id }, heading), list, paged.state, paged.moreRow);
  return { section, ready: paged.ready };
}

function createForm(navigate) {
  const f = (id, label, input, hint) => h('div', { class: 'field' },
    h('label', { for: id }, label), hint && h('p', { class: 'hint', id: `${id}-hint` }, hint), input);
  const name = h('input', {
    id: 'ch-name', name: 'name', required: true, maxlength: 30, pattern: '[A-Za-z0-9_]{1,30}',
    autocomplete: 'off', 'aria-describedby': 'ch-name-hint',
  });
  const display = h('input', { id: 'ch-display', name: 'display_name', maxlength: 30, autocomplete: 'off' });
  const note = h('textarea', { id: 'ch-note', name: 'note', rows: 3 });
  const radio = (value, label, hint, checked) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'privacy', value, checked }), h('span', {}, h('strong', {}, label), ` — ${hint}`));
  const announce = h('input', { type: 'checkbox', id: 'ch-announce', name: 'posting' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Create channel');
  const form = h('form', { class: 'stack', 'aria-label': 'Create a channel' },
    f('ch-name', 'Name', name, 'Letters, digits or underscores, up to 30; people mention it as @name.'),
    f('ch-display', 'Display name (optional)', display),
    f('ch-note', 'Description (optional)', note),
    h('fieldset', {}, h('legend', {}, 'Who can join'),
      radio('public', 'Public', 'anyone in the company joins at once and can read it', true),
      radio('private', 'Private', 'people ask to join, moderators answer; only members read it')),
    h('div', { class: 'field checkbox' }, announce,
      h('label', { for: 'ch-announce' }, 'Only moderators post (an announcements channel)')),
    h('div', { class: 'row' }, submit), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      const { data } = await api('/api/v1/partyline/channels', {
        json: {
          name: name.value.trim(),
          display_name: display.value.trim() || undefined,
          note: note.value.trim() || undefined,
          private: form.elements.privacy.value === 'private',
          posting: announce.checked ? 'moderators' : 'members',
        },
      });
      toast(`Channel ${channelName(data)} created`);
      navigate(`#/channel/${data.id}`);
    } catch (err) {
      error.textContent = `The channel was not created: ${err.message} Your entries are still here.`;
      error.hidden = false;
      submit.disabled = false;
    }
  });
  return h('details', { class: 'card create-channel' },
    h('summary', {}, 'Create a channel'), form);
}

export function render(root, { navigate }) {
  const sections = h('div', { class: 'channels-sections' });
  // After joining or leaving, both lists are redrawn from the server; focus goes back to
  // that channel's control (now in the other list) so a keyboard user is not lost.
  const draw = async (changed) => {
    const parts = [
      channelSection({
        heading: 'Your channels', query: { member: 'true' }, keep: () => true,
        empty: 'You are in no channel yet besides those listed below. Join one, or create one.',
        onChange: draw,
      }),
      channelSection({
        heading: 'Other channels', query: {}, keep: (ch) => !ch.member,
        empty: 'No other channels yet.',
        onChange: draw,
      })];
    sections.replaceChildren(...parts.map((p) => p.section));
    await Promise.all(parts.map((p) => p.ready));
    if (changed?.id) {
      sections.querySelector(`[data-id="${CSS.escape(changed.id)}"] .membership button`)?.focus();
      toast(changed.member ? `You joined ${channelName(changed)}`
        : changed.requested ? `Asked to join ${channelName(changed)}` : `You left ${channelName(changed)}`);
    }
  };
  root.append(h('h1', {}, 'Channels'),
    h('p', { class: 'lede' }, 'Places to read and post together. Public channels are open to everyone in the company; private ones let people in on request.'),
    createForm(navigate), sections);
  draw();
}
