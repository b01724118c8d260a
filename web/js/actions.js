// actions.js — the action bar under a post: reply (an inline composer under the post),
// boost (public, unlisted and company posts outside a private channel, as the server allows;
// a company post's boost stays in the company), like (partyline's up-vote),
// bookmark, and on one's own posts edit (inline) and delete (after confirm.js's inline
// question), on others' report (report.js, inline); for the service team, "Turn into ticket"
// (tickets.js). Every count and pressed state is taken from the server's answer, not guessed.

import { api } from './api.js';
import { channelInfo } from './audience.js';
import { composeForm } from './compose.js';
import { confirmInline } from './confirm.js';
import { h, toast } from './dom.js';
import { me, myId } from './me.js';
import { reportForm } from './report.js';
import { mayTurn, onServiceTeam, turnIntoTicket } from './tickets.js';

const BOOSTABLE = new Set(['public', 'unlisted', 'company']);

// data-act names the action for the keyboard shortcuts (shortcuts.js)
function toggleButton(act, label, count, pressed) {
  const n = h('span', { class: 'n' }, count == null ? '' : String(count));
  const b = h('button', { type: 'button', class: 'act', 'data-act': act, 'aria-pressed': String(!!pressed) },
    h('span', { class: 'label' }, label), n);
  b.setCount = (c) => { n.textContent = String(c); };
  return b;
}

/** The bar of status st (never a boost wrapper). ctx: card callbacks (replace, remove). */
export function actionBar(st, ctx) {
  const audience = st.partyline?.audience ?? st.visibility;
  const slot = h('div', { class: 'action-slot' }); // the inline reply or edit form
  const reply = h('button', { type: 'button', class: 'act', 'data-act': 'reply', 'aria-expanded': 'false' },
    h('span', { class: 'label' }, 'Reply'), h('span', { class: 'n' }, st.replies_count ? String(st.replies_count) : ''));
  const boost = toggleButton('reblog', 'Boost', st.reblogs_count, st.reblogged);
  const like = toggleButton('favourite', 'Like', st.favourites_count, st.favourited);
  const mark = toggleButton('bookmark', 'Bookmark', null, st.bookmarked);
  let canBoost = BOOSTABLE.has(audience);
  const noBoost = (why) => {
    // focusable, so the reason can be heard and read; aria-disabled, not disabled
    canBoost = false;
    boost.setAttribute('aria-disabled', 'true');
    boost.removeAttribute('aria-pressed');
    boost.title = why;
  };
  if (!canBoost) {
    noBoost('Only public and company posts can be boosted: boosting would show this post to people it was not meant for.');
  } else if (st.partyline?.channel_id) {
    channelInfo(st.partyline.channel_id).then((ch) => {
      if (!ch || ch.private) noBoost("A private channel's posts are its members' only: they cannot be boosted.");
    });
  }
  const bar = h('div', { class: 'actions', role: 'group', 'aria-label': 'Post actions' }, reply, boost, like, mark);

  function closeSlot(focus) {
    slot.replaceChildren();
    reply.setAttribute('aria-expanded', 'false');
    bar.querySelector('[aria-expanded="true"]')?.setAttribute('aria-expanded', 'false');
    bar.hidden = false;
    focus?.focus();
  }

  reply.addEventListener('click', () => {
    if (reply.getAttribute('aria-expanded') === 'true') { closeSlot(reply); return; }
    const form = composeForm({
      replyTo: st,
      label: `Reply to ${st.account.display_name || st.account.username}`,
      autofocus: true,
      onCancel: () => closeSlot(reply),
      onPosted(r) {
        st.replies_count = (st.replies_count ?? 0) + 1;
        reply.querySelector('.n').textContent = String(st.replies_count);
        closeSlot(reply);
        if (ctx.onReply) ctx.onReply(r);
        else toast('Your reply was posted. Open the post’s time to see the thread.');
      },
    });
    slot.replaceChildren(form);
    reply.setAttribute('aria-expanded', 'true');
  });

  // one request at a time per button; the server's answer is the truth
  async function flip(button, on, off, apply) {
    if (button.getAttribute('aria-busy') === 'true') return;
    const pressed = button.getAttribute('aria-pressed') === 'true';
    button.setAttribute('aria-busy', 'true');
    try {
      const { data } = await api(`/api/v1/statuses/${encodeURIComponent(st.id)}/${pressed ? off : on}`, { method: 'POST' });
      apply(data.reblog ?? data);
    } catch (err) {
      toast(`That did not work: ${err.message}`, 6000);
    } finally {
      button.removeAttribute('aria-busy');
    }
  }
  like.addEventListener('click', () => flip(like, 'favourite', 'unfavourite', (d) => {
    like.setAttribute('aria-pressed', String(!!d.favourited));
    like.setCount(d.favourites_count);
  }));
  mark.addEventListener('click', () => flip(mark, 'bookmark', 'unbookmark', (d) => {
    mark.setAttribute('aria-pressed', String(!!d.bookmarked));
    toast(d.bookmarked ? 'Bookmarked' : 'Bookmark removed');
  }));
  boost.addEventListener('click', () => {
    if (!canBoost) { toast(boost.title, 6000); return; }
    flip(boost, 'reblog', 'unreblog', (d) => {
      boost.setAttribute('aria-pressed', String(!!d.reblogged));
      boost.setCount(d.reblogs_count);
    });
  });

  function ownButtons() {
    const edit = h('button', { type: 'button', class: 'act' }, 'Edit');
    const del = h('button', { type: 'button', class: 'act del' }, 'Delete');
    edit.addEventListener('click', () => {
      const form = composeForm({
        edit: st,
        label: 'Edit your post',
        autofocus: true,
        onCancel: () => closeSlot(edit),
        onPosted: (updated) => ctx.replace(updated),
      });
      slot.replaceChildren(form);
    });
    del.addEventListener('click', () => confirmInline(del, {
      question: 'Delete this post?',
      detail: 'This cannot be undone.',
      yes: 'Delete',
      no: 'Keep it',
      fail: 'The post was not deleted',
      onYes: async () => {
        await api(`/api/v1/statuses/${encodeURIComponent(st.id)}`, { method: 'DELETE' });
        toast('Post deleted');
        ctx.remove();
      },
    }));
    bar.append(edit, del);
  }
  function reportButton() {
    const report = h('button', { type: 'button', class: 'act', 'aria-expanded': 'false' }, 'Report');
    report.addEventListener('click', () => {
      if (report.getAttribute('aria-expanded') === 'true') { closeSlot(report); return; }
      slot.replaceChildren(reportForm({
        account: st.account,
        status: st,
        onCancel: () => closeSlot(report),
        onDone: () => {
          closeSlot();
          report.textContent = 'Reported';
          report.setAttribute('aria-disabled', 'true');
          report.disabled = true;
          slot.replaceChildren(h('p', { class: 'muted', tabindex: '-1' }, 'Reported. The moderators will look at it.'));
          slot.firstChild.focus();
        },
      }));
      report.setAttribute('aria-expanded', 'true');
    });
    bar.append(report);
  }
  const decide = (id) => (id === st.account.id ? ownButtons() : reportButton());
  // the service team turns a post into a ticket (one the API allows: not a boost, not one in a
  // ticket already, one every member may read)
  const team = (a) => {
    if (!onServiceTeam(a) || !mayTurn(st, ctx.boosted)) return;
    const chan = st.partyline?.channel_id;
    if (!chan) bar.append(turnIntoTicket(st));
    else channelInfo(chan).then((ch) => { if (ch && !ch.private) bar.append(turnIntoTicket(st)); });
  };
  const mine = myId();
  if (mine) decide(mine);
  me().then((a) => { if (!mine) decide(a.id); team(a); }, () => {});
  return h('div', { class: 'action-area' }, bar, slot);
}
