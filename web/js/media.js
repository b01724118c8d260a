// media.js — a post's files (Status.media_attachments) as status.js shows them:
//   - pictures in a grid (1 to 4 layouts; more wrap in twos), each over a canvas painted from
//     its BlurHash until the picture has loaded; its alt text is the img's alt and, when there
//     is one, an "ALT" button that shows it as text; a click opens the viewer (viewer.js);
//   - videos and sounds with the browser's controls and preload="none" (nothing is downloaded
//     until asked: a feed of videos costs nothing);
//   - documents (type "unknown", and anything we do not know) as cards with the name, the
//     size and a download link.
//
//   card.append(mediaView(status));   // null for a post without files
//
// Everything from the attachment (alt text, file name, type) is set as text or through
// setAttribute, never parsed as HTML. The addresses are the server's signed ones, made for
// this viewer (docs/api.md "Media"): the page fetches them without a token.

import { paintBlurhash } from './blurhash.js';
import { h } from './dom.js';
import { openViewer } from './viewer.js';

const PICTURE = new Set(['image']);
const PLAYED = new Set(['video', 'gifv', 'audio']);

/** "1.4 MB", "830 KB", "12 bytes": a size a person reads (decimal units, as file managers). */
export function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1000) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** The name a document is shown and saved under. */
export function fileName(m) {
  const name = m.partyline?.file_name;
  if (name) return name;
  const tail = String(m.url ?? '').split('?')[0].split('/').pop();
  return tail && tail !== 'original' ? tail : 'file';
}

/** CSS object-position from Mastodon's focus (x, y in -1…1, y up). */
function focusPosition(m) {
  const f = m.meta?.focus;
  if (!f || !Number.isFinite(f.x) || !Number.isFinite(f.y)) return null;
  const pct = (v) => `${Math.round(((v + 1) / 2) * 100)}%`;
  return `${pct(f.x)} ${pct(-f.y)}`;
}

/** One picture: the canvas with its BlurHash, the img over it, the ALT badge. */
function pictureTile(m, index, all, st) {
  const alt = m.description ?? '';
  const canvas = h('canvas', { class: 'blurhash', width: 32, height: 32, 'aria-hidden': 'true' });
  const painted = m.blurhash ? paintBlurhash(canvas, m.blurhash) : false;
  if (!painted) canvas.hidden = true;
  const img = h('img', {
    src: m.preview_url || m.url, alt, loading: 'lazy', decoding: 'async',
    width: m.meta?.small?.width ?? m.meta?.original?.width, height: m.meta?.small?.height ?? m.meta?.original?.height,
  });
  const position = focusPosition(m);
  if (position) img.style.objectPosition = position;
  const tile = h('li', { class: 'media-tile' });
  const shown = () => tile.classList.add('loaded');
  img.addEventListener('load', shown);
  img.addEventListener('error', () => tile.classList.add('failed'));
  if (img.complete && img.naturalWidth) shown();
  const who = st.account?.display_name || st.account?.username || 'someone';
  const open = h('button', {
    type: 'button', class: 'media-open',
    'aria-label': `View picture ${index + 1} of ${all.length} by ${who}${alt ? `: ${alt}` : ' (no description)'}`,
  }, canvas, img);
  open.addEventListener('click', () => openViewer(all, index, open));
  tile.append(open);
  if (alt) {
    const text = h('p', { class: 'alt-text', hidden: true }, alt);
    const badge = h('button', { type: 'button', class: 'alt-badge', 'aria-expanded': 'false', title: 'Show the description' }, 'ALT');
    const toggle = () => {
      text.hidden = !text.hidden;
      badge.setAttribute('aria-expanded', String(!text.hidden));
    };
    badge.addEventListener('click', toggle);
    text.addEventListener('click', toggle); // it lies over the picture: a click puts it away
    tile.append(badge, text);
  }
  return tile;
}

function playedItem(m) {
  const label = m.description || (m.type === 'audio' ? 'A sound without a description' : 'A video without a description');
  if (m.type === 'audio') {
    return h('figure', { class: 'media-audio' },
      h('audio', { controls: true, preload: 'none', src: m.url, 'aria-label': label }),
      h('figcaption', {}, m.description || fileName(m)));
  }
  const video = h('video', {
    controls: true, preload: 'none', playsinline: true, src: m.url, 'aria-label': label,
    poster: m.preview_url || null, loop: m.type === 'gifv' || null,
  });
  return h('figure', { class: 'media-video' }, video, m.description && h('figcaption', {}, m.description));
}

/** A drawn page with the file's extension on it ("PDF"): no icon font, no picture to load. */
export function fileIcon(name, word = null) {
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(name ?? '')?.[1];
  return h('span', { class: 'file-icon', 'aria-hidden': 'true' }, (word ?? ext ?? 'FILE').toUpperCase());
}

function documentCard(m) {
  const name = fileName(m);
  const size = formatSize(m.partyline?.file_size ?? m.meta?.size);
  const kind = m.partyline?.mime_type || 'file';
  return h('div', { class: 'file-card' },
    fileIcon(name),
    h('div', { class: 'file-facts' },
      h('span', { class: 'file-name' }, name),
      h('span', { class: 'file-size' }, [size, kind].filter(Boolean).join(' · ')),
      m.description && h('span', { class: 'file-desc' }, m.description)),
    h('a', { class: 'button file-download', href: m.url, download: name, 'aria-label': `Download ${name}${size ? ` (${size})` : ''}` }, 'Download'));
}

/** The files of a status, or null when it has none. */
export function mediaView(st) {
  const items = st.media_attachments ?? [];
  if (!items.length) return null;
  const pictures = items.filter((m) => PICTURE.has(m.type) && m.url);
  const played = items.filter((m) => PLAYED.has(m.type) && m.url);
  const others = items.filter((m) => !pictures.includes(m) && !played.includes(m));
  const n = pictures.length;
  return h('div', { class: 'post-media' },
    n > 0 && h('ul', { class: `media-grid n${Math.min(n, 4)}${n > 4 ? ' more' : ''}`, 'aria-label': n === 1 ? 'Picture' : `${n} pictures` },
      pictures.map((m, i) => pictureTile(m, i, pictures, st))),
    played.map(playedItem),
    others.map(documentCard));
}
