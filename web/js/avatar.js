// avatar.js — a person's or a channel's picture (Account.avatar: an uploaded one, or the
// server's default of their initials on a colour of their own) and a profile's header image.
//
//   h('a', { href }, avatarImg(account, 44), 'Ada')
//
// Always decorative (alt=""): every place that shows one shows the name beside it, so a
// screen reader hears the name once. Width and height are set so nothing moves when it
// loads, loading="lazy" so a long feed fetches only what is on screen. The addresses are the
// server's own (/avatars/…, /headers/…: img-src 'self' in the Content-Security-Policy) and
// change with the picture, so the browser keeps them (immutable).

import { h, toast } from './dom.js';

/** Whether an address is an uploaded picture's (/avatars/ID/uFILE.EXT), not a drawn default. */
export const isUploaded = (src) => /\/(avatars|headers)\/\d+\/u[0-9a-f]+\.\w+$/.test(src ?? '');

/** The <img> of an account's avatar, size×size CSS pixels (null when it has none). */
export function avatarImg(a, size = 44, cls = '') {
  const src = a?.avatar_static || a?.avatar;
  if (!src) return null;
  return h('img', {
    class: `avatar${cls ? ` ${cls}` : ''}`, src, alt: '', width: size, height: size,
    loading: 'lazy', decoding: 'async',
  });
}

/** A profile's header picture (Account.header), 3:1 like the server's 1500×500. */
export function headerImg(a) {
  const src = a?.header_static || a?.header;
  if (!src) return null;
  return h('img', { class: 'profile-header', src, alt: '', width: 1500, height: 500, decoding: 'async' });
}

/**
 * A file input for a picture with its preview (an <img>): the current one, then the chosen
 * file's, read as a data: URL (img-src allows it; a blob: it would not). `id` names the input
 * and the row (`${id}-row`). .file() is the chosen File, or null. The profile editor and a
 * channel's settings use it; both send the files as multipart `avatar` and `header`.
 * remove: when the current picture is an upload, a "Remove …" button calls it (it deletes
 * the picture and resolves to the default's address, shown at once).
 */
export function pictureInput(id, label, hint, preview, remove = null) {
  const input = h('input', { id, type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', 'aria-describedby': `${id}-hint` });
  const drop = remove && isUploaded(preview.getAttribute('src'))
    ? h('button', { type: 'button', class: 'quiet' }, `Remove ${label.toLowerCase()}`) : null;
  drop?.addEventListener('click', async () => {
    drop.disabled = true;
    try {
      preview.src = await remove();
      input.value = '';
      drop.remove();
      toast(`${label} removed: the default is back`);
    } catch (e) {
      drop.disabled = false;
      toast(`The ${label.toLowerCase()} was not removed: ${e.message}`);
    }
  });
  const el = h('div', { class: `avatar-edit ${id}-row` }, preview,
    h('div', { class: 'field' },
      h('label', { for: id }, label),
      input,
      h('p', { id: `${id}-hint`, class: 'hint' }, hint),
      drop));
  input.addEventListener('change', () => {
    const file = input.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      preview.src = reader.result;
      preview.removeAttribute('loading');
    });
    reader.readAsDataURL(file);
  });
  return { el, file: () => input.files[0] ?? null };
}
