// bubble.js — one direct message as a chat bubble (conversation.js), not as a post: one's own
// on the right, the others' on the left with the writer's name when more than two talk; the
// text without the @names every direct message starts with (they are the conversation's
// people, said once at the top of the page); its files; when, and "edited"; no boost, like or
// audience badge — a message has one audience, the people of the conversation. One's own
// message can be deleted (after confirm.js's question), as Mastodon allows.
//
//   list.append(messageBubble(status, { group: true, onDeleted: (id) => … }));

import { api } from './api.js';
import { confirmInline } from './confirm.js';
import { h, serverHtml, toast } from './dom.js';
import { mediaView } from './media.js';
import { myId } from './me.js';
import { displayName, profileHref } from './people.js';

const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The message's HTML without the mentions it starts with (and the space after them). */
function withoutLeadingMentions(content) {
  const first = content.querySelector('p') ?? content;
  for (;;) {
    const node = first.firstChild;
    if (!node) break;
    if (node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) { node.remove(); continue; }
    const isMention = node.nodeType === Node.ELEMENT_NODE
      && (node.matches('a.mention, a.u-url.mention') || node.matches('span.h-card') || node.querySelector?.('a.mention'));
    if (!isMention) break;
    node.remove();
  }
  const lead = first.firstChild;
  if (lead?.nodeType === Node.TEXT_NODE) lead.textContent = lead.textContent.replace(/^\s+/, '');
  if (first !== content && !first.textContent.trim() && !first.querySelector('img, a')) first.remove();
  return content;
}

export function messageBubble(st, { group = false, onDeleted = null } = {}) {
  const mine = st.account.id === myId();
  const who = displayName(st.account);
  const when = new Date(st.created_at);
  const content = withoutLeadingMentions(serverHtml('div', { class: 'content' }, st.content));
  const li = h('li', { class: `msg ${mine ? 'mine' : 'theirs'}`, 'data-id': st.id });
  const bubble = h('article', {
    class: 'bubble', 'data-id': st.id, 'aria-label': mine ? 'Your message' : `Message from ${who}`,
  },
  !mine && group && h('a', { class: 'from', href: profileHref(st.account) }, who),
  st.spoiler_text
    ? h('details', { class: 'cw' }, h('summary', {}, st.spoiler_text), content, mediaView(st))
    : [content, mediaView(st)],
  h('footer', {},
    h('time', { datetime: st.created_at, title: timeFmt.format(when) }, timeFmt.format(when)),
    st.edited_at && h('span', { class: 'edited' }, ' · edited')));
  li.append(bubble);
  if (mine) {
    const del = h('button', { type: 'button', class: 'quiet small', 'aria-label': 'Delete this message' }, 'Delete');
    del.addEventListener('click', () => confirmInline(del, {
      question: 'Delete this message for everyone?',
      yes: 'Delete',
      fail: 'The message was not deleted',
      onYes: async () => {
        await api(`/api/v1/statuses/${encodeURIComponent(st.id)}`, { method: 'DELETE' });
        li.remove();
        toast('Message deleted.');
        onDeleted?.(st.id);
      },
    }));
    bubble.querySelector('footer').append(' ', del);
  }
  return li;
}
