// links.js — the addresses the API hands out, Status.url (/@name/id) and Account.url (/@name),
// which the server answers with this page (src/http/web.c): they become the client's own
// routes, #/status/<id> and #/profile/@name (views/profile.js looks the name up), and the
// address bar shows the route, so everything after (sign-in's way back, Back, reload) is
// the client's ordinary routing. Any other path is left alone.

const STATUS = /^\/@([A-Za-z0-9_]{1,30})\/([0-9]{1,19})$/;
const ACCOUNT = /^\/@([A-Za-z0-9_]{1,30})$/;

/** The route a path stands for ('#/status/1', '#/profile/@ann'), or null. */
export function routeForPath(pathname) {
  const st = STATUS.exec(pathname);
  if (st) return `#/status/${st[2]}`;
  const acc = ACCOUNT.exec(pathname);
  if (acc) return `#/profile/@${acc[1]}`;
  return null;
}

/** Replaces a Status.url or Account.url in the address bar by its route (no reload). */
export function followLink() {
  const route = routeForPath(location.pathname);
  if (route) history.replaceState(null, '', `/${route}`);
}
