// main.js — starts the client: finishes a sign-in if the server just redirected here,
// draws the navigation and hands the page to the router.

import { startDesk } from './desk.js';
import { toast } from './dom.js';
import { adoptEarlyRequest } from './early.js';
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

async function main() {
  adoptEarlyRequest(); // the home feed's request index.html started
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
  startUnread();
  startDesk(); // the desk's right column and the channels' read markers
  startShortcuts(navigate);
  await startRouter();
}

main();
