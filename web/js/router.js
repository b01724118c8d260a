// router.js — one view per route, one file per view: "#/name/arg" loads views/name.js.
// A view module exports title, render(root, {args, navigate}) (which may return a cleanup
// function), and publicView = true if it needs no sign-in. Adding a screen is adding a
// file; nothing here lists the views. The first screen's views come with the app bundle
// (scripts/build-web.mjs hands them over through bundleViews before the page starts): those
// are drawn at once, without an import() and the tasks that would pass before it answers.

import { h } from './dom.js';
import { markCurrent } from './nav.js';
import { session } from './session.js';

const VIEW_NAME = /^[a-z][a-z0-9-]{0,40}$/;
const bundled = new Map(); // view name → its module, already in the app bundle
let cleanup = null;
let generation = 0;

export function navigate(hash) {
  if (location.hash === hash) show();
  else location.hash = hash;
}

function parse() {
  // a stray "%" (a hand-typed address) is kept as written rather than failing the page
  const decode = (part) => { try { return decodeURIComponent(part); } catch { return part; } };
  const [name, ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decode);
  return { name: name || (session.isSignedIn() ? 'home' : 'signin'), args };
}

/** The views the app bundle carries, by name: { home: module, ... } (the build calls it). */
export function bundleViews(modules) {
  for (const [name, module] of Object.entries(modules)) bundled.set(name, module);
}

// A view module that fails to import is either missing (a 404: "Page not found") or broken
// (a syntax error, a failed dependency, the network): those get the "something went wrong"
// page with a Try again button, never a blank page. load() answers {view} or {missing} or
// {error}; a retry adds a query so the browser fetches the module again.
async function load(name) {
  const attempt = retries.get(name) ?? 0;
  if (!VIEW_NAME.test(name)) return { missing: true };
  if (bundled.has(name)) return { view: bundled.get(name) };
  const url = `./views/${name}.js${attempt ? `?retry=${attempt}` : ''}`;
  try {
    return { view: await import(url) };
  } catch (error) {
    try {
      const res = await fetch(new URL(`./views/${name}.js`, import.meta.url), { method: 'HEAD', cache: 'no-store' });
      if (res.status === 404) return { missing: true };
      if (!res.ok) return { error: new Error(`The page's code could not be loaded (the server answered ${res.status}).`) };
    } catch {
      return { error: new Error('The server cannot be reached. Check your connection.') };
    }
    return { error };
  }
}

function notFound(root) {
  document.title = 'Not found · partyline';
  const signedIn = session.isSignedIn();
  root.append(h('section', { class: 'oops card' },
    h('h1', {}, 'Page not found'),
    h('p', {}, 'There is no page at this address. The link may be mistyped, or the page may have moved.'),
    h('ul', { class: 'oops-links' },
      signedIn
        ? [h('li', {}, h('a', { href: '#/home' }, 'Go to your home feed')),
          h('li', {}, h('a', { href: '#/search' }, 'Search for what you were looking for'))]
        : h('li', {}, h('a', { href: '#/signin' }, 'Go to the sign-in page')))));
}

const retries = new Map(); // view name → Try again presses
function broken(root, name, error) {
  document.title = 'Something went wrong · partyline';
  console.warn('view failed', error); // for whoever opens the console; the page says it in words
  const again = h('button', { type: 'button', onclick: () => { retries.set(name, (retries.get(name) ?? 0) + 1); show(); } }, 'Try again');
  root.append(h('section', { class: 'oops card', role: 'alert' },
    h('h1', {}, 'Something went wrong'),
    h('p', {}, 'This page could not be shown. Nothing you did caused it, and nothing was lost.'),
    h('p', { class: 'detail' }, `What happened: ${error?.message || String(error)}`),
    h('p', {}, 'Try again in a moment; if it keeps happening, reload the page or tell your administrator.'),
    h('div', { class: 'row' }, again, h('a', { href: '#/home' }, 'Go to your home feed'))));
}

/** Renders the view for the current address into <main id="view">. */
export async function show() {
  const my = ++generation;
  // where focus was when this navigation began: the view takes it only from there (a menu
  // opened while the view loaded keeps its focus)
  const focusAtStart = document.activeElement;
  let { name, args } = parse();
  let loaded = await load(name);
  if (loaded.view && !loaded.view.publicView && !session.isSignedIn()) {
    name = 'signin';
    loaded = await load(name);
  }
  if (my !== generation) return; // a newer navigation won
  if (cleanup) {
    try { cleanup(); } catch (e) { console.warn('view cleanup failed', e); }
  }
  cleanup = null;
  markCurrent(name);
  const root = document.getElementById('view');
  root.replaceChildren();
  const { view } = loaded;
  if (loaded.missing) {
    notFound(root);
  } else if (loaded.error) {
    broken(root, name, loaded.error);
  } else {
    document.title = `${view.title} · partyline`;
    try {
      const result = view.render(root, { args, navigate });
      if (typeof result === 'function') cleanup = result;
      else if (typeof result?.then === 'function') {
        // an async render: its cleanup arrives later, its failure too
        result.then((fn) => {
          if (my === generation && typeof fn === 'function') cleanup = fn;
          else if (typeof fn === 'function') fn();
        }, (e) => {
          if (my !== generation) return;
          root.replaceChildren();
          broken(root, name, e);
        });
      }
    } catch (e) {
      root.replaceChildren();
      broken(root, name, e);
    }
  }
  // which screen #view holds, and a count of screens drawn (shortcuts.js waits for them)
  root.dataset.view = name;
  root.dataset.shown = String(my);
  const active = document.activeElement;
  if (active && active !== document.body && active === focusAtStart && !root.contains(active)) {
    root.focus({ preventScroll: true });
  }
}

export function startRouter() {
  addEventListener('hashchange', show);
  session.onChange(show);
  return show();
}
