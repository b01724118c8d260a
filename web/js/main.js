// main.js — starts the client: finishes a sign-in if the server just redirected here,
// draws the navigation and hands the page to the router.

import { h, toast } from './dom.js';
import { startRouter } from './router.js';
import { session } from './session.js';

function drawNav() {
  const nav = document.getElementById('nav');
  if (!session.isSignedIn()) {
    nav.replaceChildren();
    return;
  }
  nav.replaceChildren(
    h('a', { href: '#/home' }, 'Home'),
    h('button', { type: 'button', class: 'quiet', onclick: () => session.signOut() }, 'Sign out'),
  );
}

async function main() {
  session.onChange(drawNav);
  try {
    await session.completeSignIn();
  } catch (e) {
    toast(e.message, 8000);
  }
  drawNav();
  await startRouter();
}

main();
