// views/favourites.js — #/favourites: the posts one liked (GET /api/v1/favourites), most
// recently liked first, older pages as the end comes into view. Unliking from the card keeps
// it here until the page is opened again, so a slip can be undone in place.

import { h } from '../dom.js';
import { timeline } from '../timeline.js';

export const title = 'Likes';

export function render(root) {
  const t = timeline({
    path: '/api/v1/favourites',
    label: 'Posts you liked',
    empty: 'No liked posts yet. The posts you like (their Like button) gather here.',
  });
  root.append(h('h1', {}, 'Likes'), t.el);
  return t.destroy;
}
