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

import { h } from './dom.js';

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
