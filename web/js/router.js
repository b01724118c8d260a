// router.js — one view per route, one file per view: "#/name/arg" loads views/name.js.
// A view module exports title, render(root, {args, navigate}) (which may return a cleanup
// function), and publicView = true if it needs no sign-in. Adding a screen is adding a
// file; nothing here lists the views.

import { h } from './dom.js';
import { markCurrent } from './nav.js';
import { session } from './session.js';

const VIEW_NAME = /^[a-z][a-z0-9-]{0,40}$/;
let cleanup = null;
let generation = 0;

export function navigate(hash) {
  if (location.hash === hash) show();
  else location.hash = hash;
}

function parse() {
  const [name, ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { name: name || (session.isSignedIn() ? 'home' : 'signin'), args };
}

async function load(name) {
  if (!VIEW_NAME.test(name)) return null;
  try {
    return await import(`./views/${name}.js`);
  } catch {
    return null;
  }
}

/** Renders the view for the current address into <main id="view">. */
export async function show() {
  const my = ++generation;
  let { name, args } = parse();
  let view = await load(name);
  if (view && !view.publicView && !session.isSignedIn()) {
    name = 'signin';
    view = await load(name);
  }
  if (my !== generation) return; // a newer navigation won
  if (cleanup) cleanup();
  cleanup = null;
  markCurrent(name);
  const root = document.getElementById('view');
  root.replaceChildren();
  if (!view) {
    document.title = 'Not found · partyline';
    root.append(h('h1', {}, 'Page not found'),
      h('p', {}, 'There is no page at this address. ', h('a', { href: '#/home' }, 'Go to your home feed.')));
  } else {
    document.title = `${view.title} · partyline`;
    cleanup = view.render(root, { args, navigate }) ?? null;
  }
  if (document.activeElement && document.activeElement !== document.body && !root.contains(document.activeElement)) {
    root.focus({ preventScroll: true });
  }
}

export function startRouter() {
  addEventListener('hashchange', show);
  session.onChange(show);
  return show();
}
