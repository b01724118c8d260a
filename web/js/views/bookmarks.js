// views/bookmarks.js — #/bookmarks: the posts one bookmarked (GET /api/v1/bookmarks), most
// recently bookmarked first, older pages as the end comes into view. Bookmarks are private:
// nobody, the author included, learns of them. Unbookmarking from the card keeps it here
// until the page is opened again, so a slip can be undone in place.

import { h } from '../dom.js';
import { timeline } from '../timeline.js';

export const title = 'Bookmarks';

export function render(root) {
  const t = timeline({
    path: '/api/v1/bookmarks',
    label: 'Your bookmarks',
    empty: 'No bookmarks yet. Bookmark a post (its Bookmark button) to find it here later; only you see them.',
  });
  root.append(h('h1', {}, 'Bookmarks'), t.el);
  return t.destroy;
}
