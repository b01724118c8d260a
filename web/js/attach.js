// attach.js — the composer's files: pick them (a file picker; on touch screens also the
// camera), drop them on the form, or paste them (a screenshot from the clipboard). Each file
// is uploaded at once (POST /api/v2/media) with its progress shown — through XMLHttpRequest,
// as fetch reports no upload progress — then shown by its preview with a field for its alt
// text and a Remove button. compose.js sends the ids (media_ids[]) with the post.
//
//   const files = attachmentsEditor({ existing: status?.media_attachments });
//   form.append(files.el, files.buttons);  files.acceptDrops(form);  files.acceptPaste(textarea);
//   files.busy() / files.count() / files.mediaIds() / await files.saveDescriptions() / files.reset()
//
// Limits are the instance's (configuration.statuses.max_media_attachments,
// configuration.media_attachments: image_size_limit for the picture types it lists,
// video_size_limit for any other file, description_limit): a file past one is refused here with
// a message saying which; one the server refuses anyway (413, 422) shows the server's words.
// Alt text typed for an upload is saved with PUT /api/v1/media/:id just before posting; for a
// file already in an edited post it goes with the edit as media_attributes[] (attributes()).
// No blob: preview is made (the page's CSP allows images from the server only): a picture is
// shown by the preview the server answers.

import { h } from './dom.js';
import { api } from './api.js';
import { instanceConfig } from './instance.js';
import { fileIcon, fileName, formatSize } from './media.js';
import { session } from './session.js';

const FALLBACK = { max: 4, image: 16 * 1024 * 1024, file: 100 * 1024 * 1024, description: 1500, images: null };
let seq = 0;

/** The instance's limits, with Mastodon's defaults where it says nothing. */
function readLimits(c) {
  const m = c.media_attachments ?? {};
  return {
    max: c.statuses?.max_media_attachments ?? FALLBACK.max,
    image: m.image_size_limit || FALLBACK.image,
    file: m.video_size_limit || FALLBACK.file,
    description: m.description_limit || FALLBACK.description,
    images: (m.supported_mime_types ?? []).filter((t) => t.startsWith('image/')),
  };
}

/** The server's words from an XHR's answer. */
function errorText(xhr) {
  let data = null;
  try { data = JSON.parse(xhr.responseText); } catch { data = null; }
  if (data?.error) return data.error;
  if (xhr.status === 413) return 'The file is larger than the server accepts.';
  if (xhr.status === 0) return 'The server cannot be reached. Check your connection and try again.';
  return `The server answered ${xhr.status}.`;
}

export function attachmentsEditor({ existing = [] } = {}) {
  const base = `attach-${++seq}`;
  let limits = { ...FALLBACK };
  const ready = instanceConfig().then((c) => { limits = readLimits(c); apply(); });
  const items = []; // {key, file?, media?, xhr?, state: 'uploading'|'done'|'failed', alt, el}

  const list = h('ul', { class: 'attachments', 'aria-label': 'Attached files', hidden: true });
  const note = h('p', { class: 'error attach-error', role: 'alert', hidden: true });
  const picker = h('input', { type: 'file', multiple: true, hidden: true, id: `${base}-pick` });
  const camera = h('input', { type: 'file', accept: 'image/*', capture: 'environment', hidden: true, id: `${base}-camera` });
  const pick = h('button', { type: 'button', class: 'quiet attach-pick' }, 'Add pictures or files');
  const snap = h('button', { type: 'button', class: 'quiet attach-camera' }, 'Take a photo');
  // the camera is offered where there is one to hand: a touch screen
  snap.hidden = !matchMedia('(pointer: coarse)').matches;
  pick.addEventListener('click', () => picker.click());
  snap.addEventListener('click', () => camera.click());
  for (const input of [picker, camera]) {
    input.addEventListener('change', () => {
      add([...input.files]);
      input.value = '';
    });
  }

  const say = (text) => { note.textContent = text; note.hidden = !text; };

  function apply() {
    const full = items.length >= limits.max;
    pick.disabled = snap.disabled = full;
    pick.title = full ? `A post can have at most ${limits.max} files.` : '';
    list.hidden = items.length === 0;
    for (const it of items) it.altInput.maxLength = limits.description;
  }

  function remove(it) {
    it.xhr?.abort();
    const at = items.indexOf(it);
    if (at >= 0) items.splice(at, 1);
    it.el.remove();
    // an upload no post takes is the server's to clear (media_unattached_seconds); asking now
    // frees the person's quota at once
    if (it.media && !it.attached) api(`/api/v1/media/${encodeURIComponent(it.media.id)}`, { method: 'DELETE' }).catch(() => {});
    apply();
    say('');
    (items[Math.min(at, items.length - 1)]?.el.querySelector('input') ?? pick).focus();
  }

  function showUploaded(it) {
    const m = it.media;
    it.thumb.replaceChildren(m.type === 'image' && m.preview_url
      ? h('img', { src: m.preview_url, alt: '' })
      : fileIcon(fileName(m), m.type === 'video' ? 'video' : m.type === 'audio' ? 'sound' : null));
    it.status.textContent = `${m.type === 'image' ? 'Picture' : m.type === 'video' ? 'Video' : m.type === 'audio' ? 'Sound' : 'File'} · ${formatSize(m.partyline?.file_size ?? it.file?.size)}`;
    it.progress.hidden = true;
  }

  function row(it, name) {
    const altId = `${base}-alt-${it.key}`;
    it.thumb = h('div', { class: 'attachment-thumb' }, fileIcon(name, it.media ? null : '…'));
    it.progress = h('progress', { max: 100, value: 0, 'aria-label': `Uploading ${name}` });
    it.status = h('span', { class: 'attachment-status', 'aria-live': 'polite' }, 'Uploading…');
    it.altInput = h('input', { type: 'text', id: altId, maxlength: limits.description, autocomplete: 'off', placeholder: 'Describe it for people who cannot see it' });
    it.altInput.value = it.alt;
    it.altInput.addEventListener('input', () => { it.alt = it.altInput.value; });
    const removeButton = h('button', { type: 'button', class: 'quiet', 'aria-label': `Remove ${name}` }, 'Remove');
    removeButton.addEventListener('click', () => remove(it));
    it.el = h('li', { class: 'attachment' },
      it.thumb,
      h('div', { class: 'attachment-body' },
        h('span', { class: 'attachment-name' }, name),
        h('div', { class: 'attachment-progress' }, it.progress, it.status),
        h('label', { for: altId }, `Alt text for ${name}`),
        it.altInput),
      removeButton);
    return it.el;
  }

  function upload(it) {
    const xhr = new XMLHttpRequest();
    it.xhr = xhr;
    it.state = 'uploading';
    xhr.open('POST', '/api/v2/media');
    const token = session.token();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const pct = Math.round((e.loaded / e.total) * 100);
      it.progress.value = pct;
      it.status.textContent = `Uploading… ${pct}%`;
    });
    const done = new Promise((resolve) => {
      xhr.addEventListener('loadend', () => {
        it.xhr = null;
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            it.media = JSON.parse(xhr.responseText);
            it.state = 'done';
            it.uploadedAlt = it.media.description ?? '';
            showUploaded(it);
          } catch {
            it.state = 'failed';
          }
        } else if (xhr.status !== 0 || it.el.isConnected) {
          if (xhr.status === 401) session.expired();
          it.state = 'failed';
          it.progress.hidden = true;
          it.el.classList.add('failed');
          it.status.textContent = `Not uploaded: ${errorText(xhr)}`;
        }
        resolve();
      });
    });
    it.done = done;
    const form = new FormData();
    form.append('file', it.file, it.file.name || 'pasted.png');
    if (it.alt.trim()) form.append('description', it.alt.trim());
    xhr.send(form);
  }

  /** Checks a file against the instance's limits: the reason it cannot go, or null. */
  function refusal(file) {
    const name = file.name || 'The pasted picture';
    if (!file.size) return `${name} is empty.`;
    const isPicture = limits.images?.length ? limits.images.includes(file.type) : file.type.startsWith('image/');
    const max = isPicture ? limits.image : limits.file;
    if (file.size > max) return `${name} is ${formatSize(file.size)}: ${isPicture ? 'pictures' : 'files'} may be at most ${formatSize(max)}.`;
    return null;
  }

  /** Adds files (from the picker, a drop or a paste), each uploaded at once. */
  function add(files) {
    const problems = [];
    for (const file of files) {
      if (items.length >= limits.max) {
        problems.push(`A post can have at most ${limits.max} ${limits.max === 1 ? 'file' : 'files'}; ${file.name || 'the rest'} was not added.`);
        break;
      }
      const why = refusal(file);
      if (why) { problems.push(why); continue; }
      const it = { key: ++seq, file, alt: '', state: 'uploading' };
      items.push(it);
      list.append(row(it, file.name || 'Pasted picture'));
      upload(it);
    }
    apply();
    say(problems.join(' '));
  }

  for (const m of existing ?? []) {
    const it = { key: ++seq, media: m, attached: true, state: 'done', alt: m.description ?? '', uploadedAlt: m.description ?? '' };
    items.push(it);
    list.append(row(it, fileName(m)));
    showUploaded(it);
  }
  apply();

  return {
    el: h('div', { class: 'attach' }, list, note, picker, camera),
    buttons: h('div', { class: 'attach-buttons' }, pick, snap),
    ready,
    add,
    /** Makes the element a drop target for files. */
    acceptDrops(target) {
      const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
      target.addEventListener('dragover', (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        target.classList.add('dropping');
      });
      target.addEventListener('dragleave', (e) => {
        if (!target.contains(e.relatedTarget)) target.classList.remove('dropping');
      });
      target.addEventListener('drop', (e) => {
        target.classList.remove('dropping');
        if (!e.dataTransfer?.files?.length) return;
        e.preventDefault();
        add([...e.dataTransfer.files]);
      });
    },
    /** A paste of files (a screenshot) into the text attaches them; text pastes as usual. */
    acceptPaste(textarea) {
      textarea.addEventListener('paste', (e) => {
        const files = [...(e.clipboardData?.files ?? [])];
        if (!files.length) return;
        e.preventDefault();
        add(files);
      });
    },
    count: () => items.length,
    busy: () => items.some((it) => it.state === 'uploading'),
    failed: () => items.some((it) => it.state === 'failed'),
    mediaIds: () => items.filter((it) => it.state === 'done').map((it) => it.media.id),
    /** For an edit: the changed alt text of files the post already had (media_attributes[]). */
    attributes: () => items.filter((it) => it.attached && it.alt.trim() !== (it.uploadedAlt ?? ''))
      .map((it) => ({ id: it.media.id, description: it.alt.trim() })),
    /** Saves the alt text typed for new uploads (PUT /api/v1/media/:id); throws the server's words. */
    async saveDescriptions() {
      for (const it of items) {
        if (it.attached || it.state !== 'done' || it.alt.trim() === it.uploadedAlt) continue;
        const { data } = await api(`/api/v1/media/${encodeURIComponent(it.media.id)}`, { method: 'PUT', json: { description: it.alt.trim() } });
        it.uploadedAlt = data?.description ?? it.alt.trim();
      }
    },
    /** After posting: the files now belong to the post; the list empties. */
    reset() {
      for (const it of items) it.el.remove();
      items.length = 0;
      say('');
      apply();
    },
  };
}
