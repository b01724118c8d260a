// views/status.js — a thread, "#/status/<id>": the posts it answers (oldest first), the post
// itself, a reply form, and the replies (GET /api/v1/statuses/:id/context), each indented
// by how deep it answers. A post one may not see is a 404 from the API, said as such.
//
// It is also where a shared Status.url lands (links.js), so it opens signed out too: the
// thread is asked for without a token, and shown read-only when the server answers (a post a
// visitor may read: public_read on, and the post public — the server decides, audience.c);
// otherwise the visitor gets the sign-in page, which comes back here.

import { api } from '../api.js';
import { composeForm } from '../compose.js';
import { h } from '../dom.js';
import { session } from '../session.js';
import { statusCard } from '../status.js';

export const title = 'Thread';
export const publicView = true;

const MAX_DEPTH = 4; // deeper replies stay at this indent, so phones keep their width

/** Signed out, where the post cannot be read without signing in: the sign-in page. */
async function signInInstead(root, ctx) {
  const signin = await import('./signin.js');
  document.title = `${signin.title} · partyline`;
  root.replaceChildren();
  signin.render(root, ctx);
}

export function render(root, { args, navigate }) {
  const id = args[0] ?? '';
  const signedIn = session.isSignedIn();
  const opts = signedIn ? {} : { auth: false };
  let gone = false;
  const state = h('p', { class: 'empty', role: 'status' }, 'Loading the thread…');
  root.append(h('h1', {}, 'Thread'), state);

  const replies = h('ol', { class: 'feed thread-replies', 'aria-label': 'Replies' });
  const repliesNote = h('p', { class: 'empty' });

  function drawReplies(focusId, descendants) {
    const depth = new Map([[focusId, 0]]);
    replies.replaceChildren(...descendants.map((s) => {
      const d = Math.min(MAX_DEPTH, (depth.get(s.in_reply_to_id) ?? 0) + 1);
      depth.set(s.id, d);
      const li = statusCard(s, { onReply: reloadReplies, readOnly: !signedIn });
      li.classList.add(`depth-${d}`);
      return li;
    }));
    repliesNote.textContent = descendants.length ? '' : 'No replies yet. Be the first to answer.';
  }

  async function reloadReplies() {
    try {
      const { data } = await api(`/api/v1/statuses/${encodeURIComponent(id)}/context`, opts);
      if (!gone) drawReplies(id, data.descendants);
    } catch (err) {
      repliesNote.textContent = `Could not load the replies: ${err.message} Reload the page to try again.`;
    }
  }

  async function load() {
    state.className = 'empty';
    state.hidden = false;
    state.textContent = 'Loading the thread…';
    try {
      const [{ data: status }, { data: ctx }] = await Promise.all([
        api(`/api/v1/statuses/${encodeURIComponent(id)}`, opts),
        api(`/api/v1/statuses/${encodeURIComponent(id)}/context`, opts),
      ]);
      if (gone) return;
      if (status.reblog) { // a boost's thread is the boosted post's
        location.replace(`#/status/${encodeURIComponent(status.reblog.id)}`);
        return;
      }
      state.hidden = true;
      const who = status.account.display_name || status.account.username;
      document.title = `Post by ${who} · partyline`;
      const thread = h('ol', { class: 'feed thread', 'aria-label': 'Thread' },
        ctx.ancestors.map((s) => statusCard(s, { onReply: reloadReplies, readOnly: !signedIn })),
        statusCard(status, {
          focus: true,
          readOnly: !signedIn,
          onReply: reloadReplies,
          onDeleted: () => {
            root.replaceChildren(h('h1', {}, 'Post deleted'),
              h('p', {}, 'You deleted this post. ', h('a', { href: '#/home' }, 'Go to your home feed.')));
          },
        }));
      const form = signedIn
        ? composeForm({ replyTo: status, label: `Reply to ${who}`, onPosted: reloadReplies })
        : h('p', { class: 'card signin-to-reply' }, 'Sign in to reply, like or boost. ',
          h('button', { type: 'button', onclick: () => session.signIn() }, 'Sign in'));
      drawReplies(status.id, ctx.descendants);
      root.append(thread,
        h('section', { class: 'replies', 'aria-labelledby': 'replies-title' },
          h('h2', { id: 'replies-title' }, 'Replies'), form, replies, repliesNote));
    } catch (err) {
      if (gone) return;
      if (!signedIn && (err.status === 401 || err.status === 404)) {
        await signInInstead(root, { args, navigate });
        return;
      }
      if (err.status === 404) {
        document.title = 'Post not found · partyline';
        root.replaceChildren(h('h1', {}, 'Post not found'),
          h('p', { class: 'empty' }, 'This post does not exist or is not visible to you. ',
            'It may have been deleted, or shared with other people only. ',
            h('a', { href: '#/home' }, 'Go to your home feed.')));
        return;
      }
      state.className = 'error';
      state.replaceChildren(`Could not load this thread: ${err.message} `,
        h('button', { type: 'button', class: 'quiet', onclick: load }, 'Try again'));
    }
  }
  load();
  return () => { gone = true; };
}
