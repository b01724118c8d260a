// views/signin.js — the front door: explains what this is and starts the OAuth sign-in.

import { h } from '../dom.js';
import { instance } from '../instance.js';
import { session } from '../session.js';

export const title = 'Sign in';
export const publicView = true;

export function render(root, { navigate }) {
  if (session.isSignedIn()) {
    navigate('#/home');
    return;
  }
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const signUp = h('p', { hidden: true }, 'New here? ', h('a', { href: '#/register' }, 'Create an account'));
  const button = h('button', {
    type: 'button',
    onclick: async () => {
      button.disabled = true;
      error.hidden = true;
      try {
        await session.signIn();
      } catch (e) {
        error.textContent = `Could not start signing in: ${e.message}`;
        error.hidden = false;
        button.disabled = false;
      }
    },
  }, 'Sign in');
  root.append(h('section', { class: 'welcome card' },
    h('h1', {}, 'Your company, talking'),
    h('p', {}, 'Sign in with your work account to see your home feed and post.'),
    button, error,
    signUp,
    h('p', {}, h('a', { href: '/about' }, 'Using a Mastodon app instead?'))));
  // Offered only where the server takes sign-ups (views/register.js).
  instance().then((data) => {
    if (data.registrations?.enabled) signUp.hidden = false;
  }).catch(() => {});
}
