// profile-edit.js — #/profile/edit: one's curated profile (README, "The curated profile"):
// name, bio, fields (as many as the server takes: configuration.accounts.max_profile_fields),
// approving followers, and what shows to others (hide_collections, hide_boosts). Saved with
// PATCH /api/v1/accounts/update_credentials; pins are set on the posts themselves.
//
// The avatar and header: a file input each with a preview of the chosen picture (read as a
// data: URL, which img-src allows, not a blob:), sent after the rest as multipart to the same
// update_credentials (Mastodon's `avatar` and `header` files); a refusal is shown in the
// server's words, and a server that answers with the old picture is said to have kept it.

import { api } from './api.js';
import { avatarImg, headerImg, pictureInput } from './avatar.js';
import { h, toast } from './dom.js';
import { instanceConfig } from './instance.js';
import { forgetMe, me } from './me.js';

const FALLBACK_FIELDS = 4; // Mastodon's default, until the server says

function text(id, label, value, attrs = {}) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, type: 'text', value: value ?? '', ...attrs }));
}

function check(id, label, hint, checked) {
  return h('div', { class: 'check' },
    h('input', { id, type: 'checkbox', checked, 'aria-describedby': `${id}-hint` }),
    h('label', { for: id }, label),
    h('p', { id: `${id}-hint`, class: 'hint' }, hint));
}

export function renderEdit(root, { navigate }) {
  document.title = 'Edit profile · partyline';
  const status = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  root.append(h('h1', {}, 'Edit profile'), status);
  (async () => {
    let self;
    let config;
    try {
      [self, config] = await Promise.all([me({ fresh: true }), instanceConfig()]);
    } catch (e) {
      status.className = 'error';
      status.textContent = `Could not load your profile: ${e.message} Reload the page to try again.`;
      return;
    }
    status.remove();
    const src = self.source ?? {};
    const maxFields = config.accounts?.max_profile_fields ?? FALLBACK_FIELDS;
    const fields = src.fields ?? self.fields ?? [];
    const rows = [];
    for (let i = 0; i < maxFields; i++) {
      rows.push(h('div', { class: 'field-pair', role: 'group', 'aria-label': `Field ${i + 1}` },
        text(`field-name-${i}`, `Field ${i + 1} label`, fields[i]?.name, { 'data-field': 'name' }),
        text(`field-value-${i}`, `Field ${i + 1} content`, fields[i]?.value, { 'data-field': 'value' })));
    }
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit' }, 'Save profile');
    // removing is at once (DELETE /api/v1/profile/avatar, /header): nothing else to save
    const removal = (which) => async () => {
      const { data } = await api(`/api/v1/profile/${which}`, { method: 'DELETE' });
      forgetMe();
      return data[`${which}_static`] || data[which];
    };
    const avatar = pictureInput('profile-avatar', 'Picture', 'A square picture of you, shown beside your name. PNG, JPEG, GIF or WebP.',
      avatarImg(self, 96, 'large preview-avatar'), removal('avatar'));
    const header = pictureInput('profile-header', 'Header', 'A wide picture (3:1) across the top of your profile.',
      Object.assign(headerImg(self) ?? h('img', { alt: '' }), { className: 'preview-header' }), removal('header'));
    const form = h('form', { class: 'card edit-profile', 'aria-label': 'Edit profile' },
      text('profile-display-name', 'Display name', self.display_name, { autocomplete: 'name' }),
      h('div', { class: 'field' },
        h('label', { for: 'profile-note' }, 'Bio'),
        h('textarea', { id: 'profile-note', rows: 4 }, src.note ?? '')),
      h('fieldset', {}, h('legend', {}, 'Pictures'), avatar.el, header.el),
      h('fieldset', {},
        h('legend', {}, 'Fields'),
        h('p', { class: 'hint' }, `Up to ${maxFields} labelled facts shown on your profile, such as team, location or pronouns. Leave a field empty to remove it.`),
        rows),
      h('fieldset', {},
        h('legend', {}, 'Who and what shows'),
        check('profile-locked', 'Approve new followers yourself',
          'People ask to follow you; you answer on the follow requests page.', self.locked),
        check('profile-hide-collections', 'Hide your followers and following',
          'Others see how many, but not who.', src.hide_collections ?? self.hide_collections),
        check('profile-hide-boosts', 'Keep your boosts off your profile',
          'Your followers still see what you boost in their feeds.', src.hide_boosts)),
      h('div', { class: 'row' }, save, h('a', { href: '#/profile' }, 'Cancel')),
      error);
    root.append(form);
    const fail = (message) => {
      error.textContent = message;
      error.hidden = false;
      error.scrollIntoView({ block: 'nearest' });
      save.disabled = false;
    };
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      save.disabled = true;
      error.hidden = true;
      const val = (id) => form.querySelector(`#${id}`);
      const fieldsAttributes = rows.map((r) => ({
        name: r.querySelector('[data-field="name"]').value.trim(),
        value: r.querySelector('[data-field="value"]').value.trim(),
      })).filter((f) => f.name || f.value);
      try {
        await api('/api/v1/accounts/update_credentials', {
          method: 'PATCH',
          json: {
            display_name: val('profile-display-name').value,
            note: val('profile-note').value,
            locked: val('profile-locked').checked,
            hide_collections: val('profile-hide-collections').checked,
            hide_boosts: val('profile-hide-boosts').checked,
            fields_attributes: fieldsAttributes,
          },
        });
        forgetMe();
      } catch (err) {
        fail(`Your profile was not saved: ${err.message} Your changes are still here; fix them and save again.`);
        return;
      }
      if (avatar.file() || header.file()) {
        const pictures = new FormData();
        if (avatar.file()) pictures.append('avatar', avatar.file());
        if (header.file()) pictures.append('header', header.file());
        try {
          const { data } = await api('/api/v1/accounts/update_credentials', { method: 'PATCH', body: pictures });
          forgetMe();
          const kept = [avatar.file() && data.avatar === self.avatar && 'picture',
            header.file() && data.header === self.header && 'header'].filter(Boolean);
          if (kept.length) throw new Error(`The server kept your old ${kept.join(' and ')}.`);
        } catch (err) {
          fail(`Your profile is saved, but not your pictures: ${err.message} Choose another file and save again.`);
          return;
        }
      }
      toast('Your profile is saved.');
      navigate('#/profile');
    });
    val0(form).focus();
  })();
}

const val0 = (form) => form.querySelector('input');
