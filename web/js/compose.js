// compose.js — the form that writes a post: a new post, a reply, or an edit of one's own.
// Used by every screen that lets one post.
//
//   const form = composeForm({ onPosted: (status) => ..., label: 'New post' });
//
// onPosted    called with the Status the server created (or, editing, the edited Status)
// label       the form's accessible name
// extra       fields merged into the POST /api/v1/statuses body
// visibility  the audience picked at first: 'public', 'company', 'private', 'direct',
//             'list:<id>' or 'channel:<id>'; by default the person's own default audience
//             (source.privacy, with our company: me.js defaultAudience)
// channel     a Channel (or {id, display_name}): the post goes there; no picker
// replyTo     a Status: sets in_reply_to_id, mentions its author and participants, and
//             starts from its audience (never wider, as Mastodon does)
// edit        a Status of one's own: loads its source, saves with PUT; audience fixed
//
// "Format with Markdown" sends content_type text/markdown (starting from the person's default,
// source.status_content_type, or an edited post's own); its Preview shows the server's own
// rendering (POST /api/v1/partyline/statuses/preview), so it is what posting will make.
// Files (attach.js): picked, dropped or pasted, uploaded at once with progress, alt text
// each; sent as media_ids[] (an edit sends the post's new set, and media_attributes[] for the
// alt text of files it kept). A post of files alone needs no text, as in Mastodon.
// onCancel    shows a Cancel button (and Escape) that calls it — for inline forms
// draft       where its draft is kept (drafts.js): by default 'reply:<id>' for a reply,
//             'channel:<id>' in a channel, 'home' otherwise, none for an edit; null: none.
//             Text, content warning, Markdown, a chosen audience and the poll are kept
//             until posted or discarded; files are not (the hint says so).
// autofocus   focus the text once it is ready
// also        {label, extra, hint}: a second submit button beside the first that posts the same
//             form with extra fields on top (a ticket's "Add internal note": visibility
//             internal); hint says under the buttons what it does

import { api } from './api.js';
import { attachmentsEditor } from './attach.js';
import { audiencePicker, replyAudience } from './audience.js';
import { attachCompletion } from './complete.js';
import { draftKeeper } from './drafts.js';
import { h, serverHtml } from './dom.js';
import { instanceConfig } from './instance.js';
import { defaultAudience, knownDefaultAudience, me } from './me.js';
import { pollEditor } from './pollform.js';

const FALLBACK_MAX_CHARS = 500; // until the server says (Mastodon's default)
let maxChars = null; // the server's limit (instance configuration), read once
let pollLimits = null;
let seq = 0;

function loadInstance() {
  return instanceConfig().then((c) => {
    maxChars = c.statuses?.max_characters ?? FALLBACK_MAX_CHARS;
    pollLimits = c.polls ?? {};
  });
}

const AUDIENCE_WORDS = {
  public: 'everyone (public)', unlisted: 'everyone (unlisted)', private: 'your followers',
  company: 'everyone in the company', list: 'the people on your list', direct: 'the people mentioned',
};

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function composeForm({
  onPosted = () => {}, label = 'New post', extra = {}, visibility = null, channel = null,
  replyTo = null, edit = null, onCancel = null, autofocus = false, draft = undefined, also = null,
} = {}) {
  const id = `compose-text-${++seq}`;
  const limit = () => maxChars ?? FALLBACK_MAX_CHARS;
  const text = h('textarea', { id, name: 'status', maxlength: limit() });
  const count = h('span', { class: 'count', 'aria-live': 'off' }, `${limit()}`);
  const recount = () => { count.textContent = `${limit() - text.value.length}`; };
  const completion = attachCompletion(text);

  const cwId = `${id}-cw`;
  const cwOn = h('input', { type: 'checkbox', id: `${cwId}-on` });
  const cw = h('input', { type: 'text', id: cwId, name: 'spoiler_text', maxlength: 500 });
  const cwField = h('div', { class: 'field', hidden: true }, h('label', { for: cwId }, 'Content warning'), cw);
  cwOn.addEventListener('change', () => {
    cwField.hidden = !cwOn.checked;
    if (cwOn.checked) cw.focus();
  });

  // Markdown: sent only once known (the person's default, an edit's own) or chosen, so that
  // until then the server applies the same default
  const mdOn = h('input', { type: 'checkbox', id: `${id}-md` });
  let mdKnown = false;
  const previewButton = h('button', { type: 'button', class: 'quiet', hidden: true, 'aria-expanded': 'false' }, 'Preview');
  const preview = h('div', { class: 'preview', hidden: true, 'aria-live': 'polite', 'aria-label': 'Preview' });
  const hidePreview = () => {
    preview.hidden = true;
    preview.replaceChildren();
    previewButton.setAttribute('aria-expanded', 'false');
  };
  const showMarkdown = () => {
    previewButton.hidden = !mdOn.checked;
    if (!mdOn.checked) hidePreview();
  };
  mdOn.addEventListener('change', () => { mdKnown = true; showMarkdown(); if (!preview.hidden) renderPreview(); });
  async function renderPreview() {
    preview.hidden = false;
    previewButton.setAttribute('aria-expanded', 'true');
    if (!text.value.trim()) {
      preview.replaceChildren(h('p', { class: 'hint' }, 'Nothing to preview yet.'));
      return;
    }
    try {
      const { data } = await api('/api/v1/partyline/statuses/preview', {
        json: { status: text.value, content_type: mdOn.checked ? 'text/markdown' : 'text/plain' },
      });
      preview.replaceChildren(serverHtml('div', { class: 'content' }, data.content));
    } catch (err) {
      preview.replaceChildren(h('p', { class: 'error' }, `No preview: ${err.message}`));
    }
  }
  previewButton.addEventListener('click', () => (preview.hidden ? renderPreview() : hidePreview()));
  if (!edit) {
    me().then((a) => {
      if (mdKnown) return;
      mdOn.checked = a?.source?.status_content_type === 'text/markdown';
      mdKnown = true;
      showMarkdown();
    }, () => {});
  }

  const files = attachmentsEditor({ existing: edit?.media_attachments ?? [] });
  files.acceptPaste(text);
  const poll = pollEditor({ limits: () => pollLimits, poll: edit?.poll ?? null });
  const audience = edit
    ? audiencePicker({ fixed: `${AUDIENCE_WORDS[edit.partyline?.audience ?? edit.visibility] ?? 'as before'}, as before (an edit keeps its audience).` })
    : replyTo?.partyline?.channel_id
      ? audiencePicker({ channel: { id: replyTo.partyline.channel_id }, reply: true })
      : audiencePicker({
        value: replyTo ? replyAudience(replyTo) : visibility ?? knownDefaultAudience() ?? 'company',
        channel: channel ? (typeof channel === 'object' ? channel : { id: channel }) : null,
      });
  // A new post starts from the person's default audience. Until it is known, nothing is sent
  // for an audience left alone, so the server applies that same default.
  const startsFromDefault = !edit && !replyTo && !channel && !visibility;
  let defaultKnown = !startsFromDefault || knownDefaultAudience() !== null;
  if (!defaultKnown) {
    me().then((a) => {
      const v = defaultAudience(a);
      if (v) { audience.preset(v); defaultKnown = true; }
    }, () => {});
  }

  if (maxChars === null || pollLimits === null) {
    loadInstance().then(() => { text.maxLength = limit(); recount(); });
  }

  // what a reply starts with (the @names): not a draft until more is written
  let prefilled = '';
  function clearForm() {
    text.value = '';
    cw.value = '';
    cwOn.checked = false;
    cwField.hidden = true;
    poll.reset();
    files.reset();
    hidePreview();
    recount();
  }
  const place = edit ? null : draft !== undefined ? draft
    : replyTo ? `reply:${replyTo.id}`
      : channel ? `channel:${typeof channel === 'object' ? channel.id : channel}` : 'home';
  const kept = place && draftKeeper(place, {
    collect() {
      const p = poll.draft();
      const cwText = cwOn.checked ? cw.value : null;
      if (text.value.trim() === prefilled.trim() && !cwText?.trim() && !p?.options.some((o) => o.trim())) return null;
      return {
        text: text.value,
        cw: cwText,
        markdown: mdKnown ? mdOn.checked : null,
        audience: audience.touched?.() ? audience.value() : null,
        poll: p,
        withoutFiles: files.count() > 0,
      };
    },
    apply(d) {
      if (typeof d.text === 'string') text.value = d.text;
      if (typeof d.cw === 'string') {
        cw.value = d.cw;
        cwOn.checked = true;
        cwField.hidden = false;
      }
      if (typeof d.markdown === 'boolean') {
        mdOn.checked = d.markdown;
        mdKnown = true;
        showMarkdown();
      }
      if (d.poll) poll.restore(d.poll);
      if (typeof d.audience === 'string' && audience.preset) {
        audience.preset(d.audience);
        audience.select.dispatchEvent(new Event('change'));
      }
      recount();
    },
    onDiscard() {
      clearForm();
      if (replyTo) prefillReply();
      text.focus();
    },
  });
  const restored = kept ? kept.restore() : false;

  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, edit ? 'Save' : replyTo ? 'Reply' : 'Post');
  const cancel = onCancel && h('button', { type: 'button', class: 'quiet', onclick: () => onCancel() }, 'Cancel');
  const alsoButton = also && h('button', { type: 'submit', class: 'also' }, also.label);
  text.addEventListener('input', recount);
  const prompt = edit ? 'Edit your post' : replyTo ? `Your reply to ${replyTo.account.display_name || replyTo.account.username}` : 'What would you like to share?';
  const form = h('form', { class: `compose card${replyTo || edit ? ' inline' : ''}`, 'aria-label': label },
    h('label', { for: id }, prompt),
    h('div', { class: 'text-wrap' }, text, completion.el),
    audience.el,
    cwField,
    poll.el,
    files.el,
    preview,
    kept?.el,
    h('div', { class: 'row' },
      h('div', { class: 'tools' },
        h('div', { class: 'check' }, cwOn, h('label', { for: cwOn.id }, 'Add a content warning')),
        files.buttons,
        poll.toggle,
        h('div', { class: 'check' }, mdOn, h('label', { for: mdOn.id }, 'Format with Markdown')),
        previewButton),
      count, cancel, submit, alsoButton),
    also?.hint && h('p', { class: 'hint' }, also.hint),
    error);
  files.acceptDrops(form);
  kept?.watch(form);
  // Ctrl/Cmd+Enter posts, as in most social apps.
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  if (onCancel) {
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented) { e.preventDefault(); onCancel(); }
    });
  }

  // A reply starts by naming whom it answers: the author and everyone the post mentions.
  async function prefillReply() {
    const self = await me().catch(() => null);
    if (text.value) return;
    const accts = [replyTo.account.acct, ...(replyTo.mentions ?? []).map((m) => m.acct)];
    const names = [...new Set(accts)].filter((a) => a !== self?.acct);
    text.value = names.length ? `${names.map((a) => `@${a}`).join(' ')} ` : '';
    prefilled = text.value;
    recount();
    if (autofocus) text.setSelectionRange(text.value.length, text.value.length);
  }

  const ready = (async () => {
    if (edit) {
      submit.disabled = true;
      try {
        const { data } = await api(`/api/v1/statuses/${encodeURIComponent(edit.id)}/source`);
        text.value = data.text;
        mdOn.checked = data.content_type === 'text/markdown';
        mdKnown = true;
        showMarkdown();
        if (data.spoiler_text) {
          cw.value = data.spoiler_text;
          cwOn.checked = true;
          cwField.hidden = false;
        }
        recount();
        submit.disabled = false;
      } catch (err) {
        error.textContent = `Could not load your post to edit it: ${err.message} Close this and try again.`;
        error.hidden = false;
      }
    } else if (replyTo && !restored) {
      await prefillReply();
    }
    if (autofocus) {
      text.focus();
      if (restored) text.setSelectionRange(text.value.length, text.value.length);
    }
  })();
  form.ready = ready;

  function body() {
    const b = { status: text.value };
    if (mdKnown) b.content_type = mdOn.checked ? 'text/markdown' : 'text/plain';
    if (cwOn.checked && cw.value.trim()) b.spoiler_text = cw.value.trim();
    else if (edit) b.spoiler_text = '';
    const p = poll.body(); // throws with a readable message if a choice is empty
    if (p) b.poll = p;
    if (files.busy()) throw new Error('Your files are still uploading: post once they are done.');
    if (files.failed()) throw new Error('A file could not be uploaded: remove it (or add it again) before posting.');
    const media = files.mediaIds();
    if (media.length && p) throw new Error('A post can have files or a poll, not both: remove one of them.');
    if (media.length || edit?.media_attachments?.length) b.media_ids = media;
    if (edit && media.length) {
      const attrs = files.attributes();
      if (attrs.length) b.media_attributes = attrs;
    }
    if (edit) return b;
    if (defaultKnown || audience.touched?.()) Object.assign(b, audience.body());
    if (replyTo) b.in_reply_to_id = replyTo.id;
    const parent = replyTo?.partyline?.audience;
    if (replyTo?.partyline?.channel_id && ['public', 'unlisted'].includes(parent)) b.visibility = parent;
    if (b.visibility === 'direct' && !/(^|\s)@\w/.test(text.value))
      throw new Error('A direct post is seen only by the people it mentions: add at least one @name.');
    return { ...b, ...extra };
  }

  // A post sent again with the same content (after an error, when the first answer was lost
  // on the way back) carries the same Idempotency-Key, so the server makes it only once.
  let sent = { body: null, key: null };
  const keyFor = (b) => {
    const json = JSON.stringify(b);
    if (sent.body !== json) sent = { body: json, key: randomKey() };
    return sent.key;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim() && !files.count()) {
      error.textContent = 'Write something or add a picture or file first.';
      error.hidden = false;
      text.focus();
      return;
    }
    completion.close();
    error.hidden = true;
    let b;
    try {
      b = body();
      if (alsoButton && e.submitter === alsoButton) b = { ...b, ...also.extra };
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    if (alsoButton) alsoButton.disabled = true;
    try {
      await files.saveDescriptions();
      const { data } = edit
        ? await api(`/api/v1/statuses/${encodeURIComponent(edit.id)}`, { method: 'PUT', json: b })
        : await api('/api/v1/statuses', { json: b, headers: { 'Idempotency-Key': keyFor(b) } });
      sent = { body: null, key: null };
      if (!edit) {
        kept?.posted();
        clearForm();
        if (replyTo) prefillReply();
      }
      onPosted(data);
    } catch (err) {
      const what = edit ? 'Your changes were not saved' : 'Your post was not sent';
      error.textContent = `${what}: ${err.message} Your text is still here; try again.`;
      error.hidden = false;
    } finally {
      submit.disabled = false;
      if (alsoButton) alsoButton.disabled = false;
      if (form.isConnected) text.focus();
    }
  });
  return form;
}
