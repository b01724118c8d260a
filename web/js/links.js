// links.js — the addresses the API hands out, Status.url (/@name/id), Account.url (/@name),
// Tag.url (/tags/tag) and FeaturedTag.url (/@name/tagged/tag), which the server answers with
// this page (src/http/web.c): they become the client's own routes, #/status/<id>,
// #/profile/@name (views/profile.js looks the name up) and #/tag/<tag> (a featured tag's
// address opens the tag: the person's posts are on their profile), a listening alert's link
// (/listening/alerts/id, in the post that tells it) becomes #/alert/<id>, and the
// address bar shows the route, so everything after (sign-in's way back, Back, reload) is
// the client's ordinary routing. Any other path is left alone.

const STATUS = /^\/@([A-Za-z0-9_]{1,30})\/([0-9]{1,19})$/;
const ACCOUNT = /^\/@([A-Za-z0-9_]{1,30})$/;
const ALERT = /^\/listening\/alerts\/([0-9]{1,19})$/; // the link a listening alert's post carries
const TAG = /^\/(?:tags|@[A-Za-z0-9_]{1,30}\/tagged)\/([A-Za-z0-9_%]{1,900})$/;

/** The route a path stands for ('#/status/1', '#/profile/@ann'), or null. */
export function routeForPath(pathname) {
  const st = STATUS.exec(pathname);
  if (st) return `#/status/${st[2]}`;
  const acc = ACCOUNT.exec(pathname);
  if (acc) return `#/profile/@${acc[1]}`;
  const alert = ALERT.exec(pathname);
  if (alert) return `#/alert/${alert[1]}`;
  const tag = TAG.exec(pathname);
  if (tag) {
    let name;
    try { name = decodeURIComponent(tag[1]); } catch { return null; }
    return `#/tag/${encodeURIComponent(name)}`;
  }
  return null;
}

/** Replaces a Status.url or Account.url in the address bar by its route (no reload). */
export function followLink() {
  const route = routeForPath(location.pathname);
  if (route) history.replaceState(null, '', `/${route}`);
}
