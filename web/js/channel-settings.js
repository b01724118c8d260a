// channel-settings.js — a channel's settings (#/channel/<id>/settings), for its moderators:
// display name, description, who posts, and (owners only) private or public. It is
// PATCH /api/v1/partyline/channels/:id (docs/api.md "Read and change"); the server checks
// every rule again, this form only leaves out what the person may not change. Company
// administrators are owners of every channel to the server (app_channel_role), and the
// Channel it sends them says role "owner", so they get the owner's form with no rule here.
//
// A refusal is shown under the field it is about (the server's message names it), the
// field is marked invalid and focused, and nothing typed is lost.
//
// The channel's picture and header: a file input each with a preview (avatar.js), sent after
// the rest as a second, multipart PATCH (`avatar`, `header`), so a refused picture never
// loses the other changes; its refusal is shown under the Pictures, in the server's words.

import { api } from './api.js';
import { actingRole, channelName, isModerator } from './channel-common.js';
import { avatarImg, headerImg, pictureInput } from './avatar.js';
import { h, toast } from './dom.js';

/**
 * The description as text to edit. The Channel carries only the server's HTML of it
 * (<p>, <br>, <a>, <span>: src/util/text.c); it is parsed in an inert document, never put
 * in the page, and read back as its text: paragraphs as blank lines, <br> as line breaks.
 */
function noteText(html) {
  if (!html) return '';
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const br of doc.querySelectorAll('br')) br.replaceWith('\n');
  const paras = [...doc.body.querySelectorAll('p')];
  return (paras.length ? paras.map((p) => p.textContent).join('\n\n') : doc.body.textContent).trim();
}

/** Which field a refusal is about, from the server's words ("Display name is too long…"). */
function fieldOf(message) {
  if (/display name/i.test(message)) return 'display';
  if (/\bnote\b|description/i.test(message)) return 'note';
  if (/posting/i.test(message)) return 'posting';
  if (/private|owner/i.test(message)) return 'privacy';
  if (/^(Validation failed: )?(Avatar|Header)\b|picture/i.test(message)) return 'pictures';
  return null;
}

export function settingsSection(ch, { onSaved }) {
  if (!isModerator(ch)) {
    return h('p', { class: 'card notice' }, 'Only the channel’s moderators change its settings.');
  }
  const owner = actingRole(ch) === 'owner';
  const errors = {};
  const field = (key, id, label, input, hint) => {
    errors[key] = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    input.setAttribute('aria-describedby', [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' '));
    return h('div', { class: 'field' }, h('label', { for: id }, label),
      hint && h('p', { class: 'hint', id: `${id}-hint` }, hint), input, errors[key]);
  };
  const display = h('input', { id: 'set-display', name: 'display_name', autocomplete: 'off', value: ch.display_name ?? '' });
  const note = h('textarea', { id: 'set-note', name: 'note', rows: 4 });
  note.value = noteText(ch.note);

  const radio = (name, value, label, checked) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name, value, checked }), h('span', {}, label));
  errors.posting = h('p', { class: 'field-error', id: 'set-posting-error', hidden: true });
  const posting = h('fieldset', { 'aria-describedby': 'set-posting-error' },
    h('legend', {}, 'Who starts new posts'),
    radio('posting', 'members', 'Every member', ch.posting !== 'moderators'),
    radio('posting', 'moderators', 'Only moderators (an announcements channel; members still reply)', ch.posting === 'moderators'),
    errors.posting);

  errors.privacy = h('p', { class: 'field-error', id: 'set-privacy-error', hidden: true });
  let privacy;
  if (ch.everyone) {
    privacy = h('p', { class: 'muted' }, 'Everyone is in this channel, so it stays public.');
  } else if (owner) {
    privacy = h('fieldset', { 'aria-describedby': 'set-privacy-hint set-privacy-error' },
      h('legend', {}, 'Who can join'),
      radio('privacy', 'public', 'Public — anyone in the company joins at once and reads it', !ch.private),
      radio('privacy', 'private', 'Private — people ask to join, moderators answer; only members read it', ch.private),
      h('p', { class: 'hint', id: 'set-privacy-hint' }, 'Making a private channel public lets in everyone who asked to join.'),
      errors.privacy);
  } else {
    privacy = h('p', { class: 'muted' },
      `This channel is ${ch.private ? 'private' : 'public'}. Only its owners change that.`);
  }

  // removing is at once (DELETE …/:id/avatar, /header), and the page's header follows
  const removal = (which) => async () => {
    const { data } = await api(`/api/v1/partyline/channels/${ch.id}/${which}`, { method: 'DELETE' });
    onSaved(data);
    return data.account[`${which}_static`] || data.account[which];
  };
  const avatar = pictureInput('set-avatar', 'Picture', 'A square picture shown beside the channel’s name. PNG, JPEG, GIF or WebP.',
    avatarImg(ch.account, 64, 'large preview-avatar') ?? h('img', { alt: '' }), removal('avatar'));
  const banner = pictureInput('set-header', 'Header', 'A wide picture (3:1) across the top of the channel’s page.',
    Object.assign(headerImg(ch.account) ?? h('img', { alt: '' }), { className: 'preview-header' }), removal('header'));
  errors.pictures = h('p', { class: 'field-error', id: 'set-pictures-error', hidden: true });
  const pictures = h('fieldset', { 'aria-describedby': 'set-pictures-error' },
    h('legend', {}, 'Pictures'), avatar.el, banner.el, errors.pictures);

  const general = h('p', { class: 'error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit' }, 'Save settings');
  const form = h('form', { class: 'stack card channel-settings', 'aria-labelledby': 'set-h' },
    h('h2', { id: 'set-h' }, 'Channel settings'),
    field('display', 'set-display', 'Display name', display, `Shown instead of @${ch.name}, which does not change.`),
    field('note', 'set-note', 'Description', note, 'What the channel is for; shown at the top of it and in the channel list.'),
    pictures, posting, privacy,
    h('div', { class: 'row' }, save), general);

  const inputs = {
    display, note, posting: posting.querySelector('input'), privacy: privacy.querySelector?.('input'),
    pictures: pictures.querySelector('input'),
  };
  function clear() {
    general.hidden = true;
    for (const [key, el] of Object.entries(errors)) {
      el.hidden = true;
      el.textContent = '';
      inputs[key]?.removeAttribute('aria-invalid');
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear();
    const body = {
      display_name: display.value.trim(),
      note: note.value.trim(),
      posting: form.elements.posting.value,
    };
    if (owner && !ch.everyone) body.private = form.elements.privacy.value === 'private';
    if (!body.display_name) {
      errors.display.textContent = `Give the channel a display name (it can be just ${ch.name}).`;
      errors.display.hidden = false;
      display.setAttribute('aria-invalid', 'true');
      display.focus();
      return;
    }
    save.disabled = true;
    try {
      let { data } = await api(`/api/v1/partyline/channels/${ch.id}`, { method: 'PATCH', json: body });
      if (avatar.file() || banner.file()) {
        const files = new FormData();
        if (avatar.file()) files.append('avatar', avatar.file());
        if (banner.file()) files.append('header', banner.file());
        try {
          ({ data } = await api(`/api/v1/partyline/channels/${ch.id}`, { method: 'PATCH', body: files }));
        } catch (err) {
          err.message = `The other settings are saved, but not the pictures: ${err.message}`;
          onSaved(data);
          throw err;
        }
      }
      toast(`Settings of ${channelName(data)} saved`);
      onSaved(data);
    } catch (err) {
      const key = fieldOf(err.message);
      const words = `${err.message} Your changes are still here.`;
      if (key && errors[key]) {
        errors[key].textContent = words;
        errors[key].hidden = false;
        const input = inputs[key];
        input?.setAttribute('aria-invalid', 'true');
        input?.focus();
      } else {
        general.textContent = `The settings were not saved: ${words}`;
        general.hidden = false;
      }
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
