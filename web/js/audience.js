// audience.js — who sees a post, in plain words: the picker in the compose form (public,
// company, followers, one of your lists, a channel you are in, direct) and the small label
// on each post card. docs/api.md "Audiences" and "Channels" say what each one means.
//
//   const picker = audiencePicker({ value: 'company' });  // or {channel: {id, display_name}}
//   form.append(picker.el); ... picker.body() → { visibility, channel_id? }
//   audienceLabel(status) → an element, e.g. "Company" or "Channel: Marketing" (a link to it)

import { api } from './api.js';
import { h } from './dom.js';

let seq = 0;
const channels = new Map(); // id → Promise<{name, private} or null>
let choices = null; // { at, promise } — lists and channels, shared by every form for a minute

/** A channel's display name and whether it is private, fetched once per page load. */
export function channelInfo(id) {
  if (!channels.has(id)) {
    channels.set(id, api(`/api/v1/partyline/channels/${encodeURIComponent(id)}`)
      .then(({ data }) => ({ name: data.display_name || data.name, private: !!data.private }))
      .catch(() => null));
  }
  return channels.get(id);
}

/** Your lists and the channels you may post in: { lists, channels }. */
function loadChoices() {
  if (!choices || Date.now() - choices.at > 60_000) {
    const promise = Promise.all([
      api('/api/v1/lists').then((r) => r.data).catch(() => []),
      api('/api/v1/partyline/channels?member=true&limit=40').then((r) => r.data).catch(() => []),
    ]).then(([lists, mine]) => {
      const mayPost = (c) => c.posting !== 'moderators' || c.role === 'owner' || c.role === 'moderator';
      const usable = mine.filter(mayPost);
      for (const c of usable) channels.set(c.id, Promise.resolve({ name: c.display_name || c.name, private: !!c.private }));
      return { lists, channels: usable };
    });
    choices = { at: Date.now(), promise };
  }
  return choices.promise;
}

const BASIC = [
  ['public', 'Public'],
  ['company', 'Company'],
  ['private', 'Followers only'],
  ['direct', 'Direct: only people you mention'],
];

// Offered only when it is where a form starts (a person's default): Mastodon's quiet public.
const UNLISTED = ['unlisted', 'Public, not under hashtags'];

/** The sentence under the picker: who will see the post. */
function describe(value, names, reply = false) {
  // in the words of a workplace: no "server", "instance" or "timeline"
  if (value === 'public') return 'Everyone in the company, and visitors if your company opens posts to the web. Found under its hashtags.';
  if (value === 'unlisted') return 'Everyone in the company, and visitors if your company opens posts to the web, but not found under its hashtags.';
  if (value === 'company') return 'Everyone in the company who signs in, and no one outside it. Not found under its hashtags.';
  if (value === 'private') return 'Only your followers, and the people you mention.';
  if (value === 'direct') return 'Only the people you mention with @name. Mention at least one person.';
  if (value === 'ticket') return 'The person who asked and the service team: a ticket’s thread.';
  if (value === 'internal') return 'Internal note — service team only.';
  if (value.startsWith('list:')) return `Only the people on your list “${names.get(value) ?? 'list'}”, and the people you mention.`;
  if (value.startsWith('channel:')) {
    const c = names.get(value);
    if (reply) return `A reply stays in its thread’s channel, “${c?.name ?? 'channel'}”: ${c?.private ? 'only its members' : 'everyone in the company'} can see it.`;
    return c?.private
      ? `Only the members of the channel “${c.name}”.`
      : `Everyone in the company, in the channel “${c?.name ?? 'channel'}”.`;
  }
  return '';
}

/**
 * The "Who can see this?" control. value: the preselected audience ('public', 'unlisted',
 * 'company', 'private', 'direct', 'list:<id>', 'channel:<id>'); picker.preset(v) moves it
 * there later unless the person already chose. channel: a Channel (or {id,
 * display_name}) the post must go to — then nothing is offered. fixed: a sentence shown
 * instead of the choice (an edit, where the audience cannot change).
 */
export function audiencePicker({ value = 'public', channel = null, fixed = null, reply = false } = {}) {
  const id = `audience-${++seq}`;
  // a reply in a ticket's thread keeps its audience (the server decides it: app/tickets.h)
  if (!fixed && (value === 'ticket' || value === 'internal')) fixed = describe(value);
  const names = new Map(); // option value → list title or {name, private}
  const note = h('p', { class: 'audience-note', id: `${id}-note` });
  if (fixed || channel) {
    if (channel) {
      value = `channel:${channel.id}`;
      const known = channel.display_name || channel.name;
      names.set(value, { name: known || 'channel', private: !!channel.private });
      if (!known) {
        channelInfo(channel.id).then((c) => {
          if (c) { names.set(value, c); note.textContent = describe(value, names, reply); }
        });
      }
    }
    note.textContent = fixed ?? describe(value, names, reply);
    const el = h('div', { class: 'audience fixed' }, h('span', { class: 'audience-title' }, 'Who can see this: '), note);
    return { el, body: () => bodyFor(value), value: () => value };
  }
  const select = h('select', { id, 'aria-describedby': note.id },
    BASIC.map(([v, text]) => h('option', { value: v }, text)));
  const lists = h('optgroup', { label: 'Your lists', hidden: true });
  const chans = h('optgroup', { label: 'Your channels', hidden: true });
  select.append(lists, chans);
  // the preset may be unlisted (offered then only), or a list or channel the answer below has
  // not brought yet
  const offer = (v) => {
    if ([...select.options].some((o) => o.value === v)) return;
    if (v === UNLISTED[0]) {
      select.options[0].after(h('option', { value: v }, UNLISTED[1]));
      return;
    }
    (v.startsWith('list:') ? lists : chans).append(h('option', { value: v }, v.startsWith('list:') ? 'A list' : 'A channel'));
    (v.startsWith('list:') ? lists : chans).hidden = false;
  };
  offer(value);
  select.value = value;
  let touched = false; // chosen by the person: a preset arriving later leaves it alone
  const update = () => { note.textContent = describe(select.value, names); };
  select.addEventListener('change', () => { touched = true; update(); });
  update();
  loadChoices().then(({ lists: ls, channels: cs }) => {
    const keep = select.value;
    lists.replaceChildren(...ls.map((l) => {
      names.set(`list:${l.id}`, l.title);
      return h('option', { value: `list:${l.id}` }, `List: ${l.title}`);
    }));
    chans.replaceChildren(...cs.map((c) => {
      names.set(`channel:${c.id}`, { name: c.display_name || c.name, private: c.private });
      return h('option', { value: `channel:${c.id}` }, `Channel: ${c.display_name || c.name}`);
    }));
    if (![...select.options].some((o) => o.value === keep)) {
      // a reply to a list post that is not yours: the list is not yours to pick
      select.value = 'direct';
    } else {
      select.value = keep;
    }
    lists.hidden = !ls.length;
    chans.hidden = !cs.length;
    update();
  });
  const el = h('div', { class: 'audience' },
    h('label', { for: id }, 'Who can see this?'), select, note);
  /** Starts the picker on v (a default that arrived late), unless the person chose already. */
  const preset = (v) => {
    if (touched || !v) return;
    offer(v);
    select.value = v;
    update();
  };
  return { el, body: () => bodyFor(select.value), value: () => select.value, select, preset, touched: () => touched };
}

/** The POST /api/v1/statuses fields for an audience value. */
function bodyFor(value) {
  if (value.startsWith('channel:')) return { visibility: 'company', channel_id: value.slice(8) };
  return { visibility: value };
}

/** The audience value a reply to status s starts with, as Mastodon: never wider than it. */
export function replyAudience(s) {
  const a = s.partyline?.audience ?? s.visibility;
  if (s.partyline?.channel_id) return `channel:${s.partyline.channel_id}`;
  if (a === 'list') return s.partyline?.list_id ? `list:${s.partyline.list_id}` : 'direct';
  return a; // unlisted stays unlisted: a reply is never found where its post is not
}

const LABELS = {
  public: 'Public', unlisted: 'Unlisted', private: 'Followers', company: 'Company',
  list: 'List', direct: 'Direct', ticket: 'Ticket', internal: 'Internal note',
};

/** The small audience label of a card; a channel's name fills in when known. */
export function audienceLabel(s) {
  const a = s.partyline?.audience ?? s.visibility;
  const chan = s.partyline?.channel_id;
  const name = h('span', {}, chan ? 'Channel' : LABELS[a] ?? a);
  if (chan) channelInfo(chan).then((c) => { if (c) name.textContent = `Channel: ${c.name}`; });
  // a channel's label is the way to the channel, as an author's name is to their profile
  return h(chan ? 'a' : 'span', {
    class: `audience-label aud-${chan ? 'channel' : a}`,
    href: chan ? `#/channel/${encodeURIComponent(chan)}` : null,
  }, h('span', { class: 'visually-hidden' }, 'Seen by: '), name);
}
