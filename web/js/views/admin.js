// views/admin.js — #/admin/<section>: the administration area (issue 14) for administrators
// and moderators. Its requests carry a token of their own (session.adminToken: admin:read and
// admin:write), which the area asks for with the password again and keeps for this tab only;
// the everyday token never holds admin power. The server decides who may do what (a member's
// admin token is refused with 403): this page only leaves out what the role cannot use.
//
// Sections (each its own module in js/admin/): reports (moderators and administrators: the
// queue, the reported posts, acting on the reported account), accounts (the same: find,
// approve sign-ups, disable, limit, suspend; off-board for administrators), retention
// (administrators: the policies and the legal holds), exports (administrators: compliance
// exports made, listed and downloaded) and the audit log (administrators: who did what,
// filtered, newest first).

import { accounts } from '../admin/accounts.js';
import { auditLog } from '../admin/audit.js';
import { exportsSection } from '../admin/exports.js';
import { reports } from '../admin/reports.js';
import { retention } from '../admin/retention.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { me, staffRole } from '../me.js';
import { session } from '../session.js';

export const title = 'Administration';

// [route, label, the roles that see it]
const SECTIONS = [
  ['reports', 'Reports', ['admin', 'moderator']],
  ['accounts', 'Accounts', ['admin', 'moderator']],
  ['retention', 'Retention', ['admin']],
  ['exports', 'Exports', ['admin']],
  ['audit', 'Audit log', ['admin']],
];

export function render(root, { args }) {
  root.append(h('h1', {}, 'Administration'));
  const status = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  root.append(status);
  let gone = false;
  me().then(async (account) => {
    if (gone) return;
    const role = staffRole(account);
    const mine = SECTIONS.filter(([, , roles]) => roles.includes(role));
    if (!mine.length) {
      status.className = '';
      status.textContent = 'This area is for the company’s administrators and moderators. ' +
        'If you need something done here, ask one of them.';
      return;
    }
    if (!session.adminToken()) {
      status.remove();
      root.append(stepUp());
      return;
    }
    // the token must be this person's: another account's (typed into the sign-in page) is
    // given back at once
    const who = await api('/api/v1/accounts/verify_credentials', { admin: true }).catch((e) => e);
    if (gone) return;
    if (who?.data?.id !== account.id) {
      await session.adminSignOut();
      status.remove();
      root.append(stepUp(who?.data ? 'You confirmed with another account’s password. Confirm with your own.' : null));
      return;
    }
    status.remove();
    const section = mine.find(([r]) => r === args[0]) ?? mine[0];
    document.title = `${section[1]} · Administration · partyline`;
    root.append(tabs(mine, section[0]));
    const ctx = { me: account, role, args: args.slice(1) };
    if (section[0] === 'reports') root.append(reports(ctx));
    else if (section[0] === 'accounts') root.append(accounts(ctx));
    else if (section[0] === 'retention') root.append(retention());
    else if (section[0] === 'exports') root.append(exportsSection());
    else root.append(auditLog());
  }, (e) => {
    status.className = 'error';
    status.textContent = `Could not load your account: ${e.message}`;
  });
  return () => { gone = true; };
}

function tabs(sections, current) {
  return h('nav', { class: 'tabs admin-tabs', 'aria-label': 'Administration sections' },
    sections.map(([key, label]) => h('a', { href: `#/admin/${key}`, 'aria-current': key === current ? 'page' : null }, label)),
    h('button', {
      type: 'button', class: 'quiet leave',
      onclick: async () => { await session.adminSignOut(); location.hash = '#/home'; },
    }, 'Leave administration'));
}

/** The card that asks for the password again before the area opens. */
function stepUp(problem = null) {
  const go = h('button', { type: 'button' }, 'Confirm with your password');
  const error = h('p', { class: 'error', role: 'alert', hidden: !problem }, problem ?? '');
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      await session.adminSignIn();
    } catch (e) {
      error.textContent = `That did not work: ${e.message}`;
      error.hidden = false;
      go.disabled = false;
    }
  });
  return h('section', { class: 'card admin-stepup' },
    h('h2', {}, 'Confirm it is you'),
    h('p', {}, 'Administration acts for the whole company, so it asks for your password once more. ' +
      'The permission lasts until you close this tab or leave administration.'),
    error, go);
}

