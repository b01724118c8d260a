// icons.js — the few icons of the phone's top bar and tab bar, from lucide-static (ISC, pinned
// in package.json). scripts/build-web.mjs imports each .svg as text, so the bundle carries
// them: no icon font, no CDN, no extra request. Icons are decorative (aria-hidden, not
// focusable): every one stands beside a visible label or inside a control with its own name.
//
//   h('a', { href }, icon('home'), h('span', {}, 'Home'))

import bell from 'lucide-static/icons/bell.svg';
import ellipsis from 'lucide-static/icons/ellipsis.svg';
import hash from 'lucide-static/icons/hash.svg';
import house from 'lucide-static/icons/house.svg';
import messageCircle from 'lucide-static/icons/message-circle.svg';
import rss from 'lucide-static/icons/rss.svg';
import search from 'lucide-static/icons/search.svg';
import userRound from 'lucide-static/icons/circle-user-round.svg';
import x from 'lucide-static/icons/x.svg';

const SOURCES = {
  home: house, channels: hash, feeds: rss, notifications: bell, messages: messageCircle,
  more: ellipsis, search, account: userRound, close: x,
};

const parsed = new Map();

/** A new <svg class="icon"> for name (a key of SOURCES); null for an unknown name. */
export function icon(name) {
  if (!SOURCES[name]) return null;
  if (!parsed.has(name)) {
    // our own build's file, not anything from the network: parsed as SVG, never as HTML
    const doc = new DOMParser().parseFromString(SOURCES[name], 'image/svg+xml');
    const svg = doc.documentElement;
    // the file's line breaks would be text in the control's textContent: only shapes remain
    for (const n of [...svg.childNodes]) if (n.nodeType !== Node.ELEMENT_NODE) n.remove();
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('class', `icon icon-${name}`);
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    parsed.set(name, svg);
  }
  return document.importNode(parsed.get(name), true);
}
