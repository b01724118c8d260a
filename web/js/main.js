// main.js — starts the client: finishes a sign-in if the server just redirected here,
// draws the navigation and hands the page to the router.

import { startDesk } from './desk.js';
import { toast } from './dom.js';
import { adoptEarlyRequests } from './early.js';
import { followLink } from './links.js';
import { drawNav } from './nav.js';
import { startConnectivity } from './offline.js';
import { navigate, startRouter } from './router.js';
import { session } from './session.js';
import { startShortcuts } from './shortcuts.js';
import { drawTopbar } from './topbar.js';
import { startUnread } from './unread.js';

// The skip link's "#view" would otherwise be taken by the router as a route named "view"
// (Page not found): it moves focus to the page instead and leaves the address alone.
function wireSkipLink() {
  document.querySelector('.skip')?.addEventListener('click', (e) => {
    e.preventDefault();
    document.getElementById('view')?.focus();
  });
}

// The first screen's code is one bundle (the home feed's); every other view is in a second
// (scripts/build-web.mjs), which the page names in a <meta>. Once the first screen is up and the page
// idle, it is fetched and compiled (not run), so the next screen does not wait for it.
const PRELOAD_AFTER_MS = 1000;
function preloadOtherViews() {
  const href = document.querySelector('meta[name="partyline-views"]')?.content;
  if (!href) return;
  const idle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 0));
  setTimeout(() => idle(() => {
    document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href }));
  }, { timeout: 5000 }), PRELOAD_AFTER_MS);
}

async function main() {
  adoptEarlyRequests(); // the home feed's and the account's requests index.html started
  followLink(); // a Status.url or Account.url opened from elsewhere
  wireSkipLink();
  session.onChange(drawNav);
  session.onChange(drawTopbar);
  try {
    await session.completeSignIn();
  } catch (e) {
    toast(e.message, 8000);
  }
  drawNav();
  drawTopbar();
  startConnectivity();
  // the first screen first: the unread counts and the shortcuts start once it is drawn
  await startRouter();
  startUnread();
  startDesk(); // the desk's right column and the channels' read markers
  startShortcuts(navigate);
  preloadOtherViews();
}

main();
