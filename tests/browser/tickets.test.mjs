// tickets.test.mjs — tickets in the web client (issue 16, C13: views/tickets.js, views/ticket.js,
// tickets.js) in chromium against a real server: a requester opens a ticket from the form (a
// blank title shown at its field) on a phone; a member of the service team, at a desk, finds it
// in the queue and works it through the controls — each change appearing in the thread as a
// system entry, a work note marked as the team's — while the requester's own page shows the
// thread without the note; a move the ticket no longer allows shows the server's words; the
// requester reopens a resolved ticket; the queue's filters survive a reload; "Turn into
// ticket" on a post, and the badge its card then carries for everyone. One browser, two pages
// kept open; screenshots and axe-core at both sizes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { adminCli, raw, registerUser, serverDatabaseSql, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };
const T = '/api/v1/partyline/tickets';
let srv;
let browser;
let agent; // on the service team, team "network"
let asker;
let author;
let desk; // the agent's page
let phone; // the asker's page

async function call(token, method, path, json) {
  const r = await raw(srv.url, path, { method, token, json });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  [agent, asker, author] = await Promise.all(['ag', 'rq', 'au'].map((p) => registerUser(srv.url, uniqueName(p))));
  const out = await adminCli(srv, ['set-service', '--username', agent.username, '--team', 'network']);
  assert.equal(out.code, 0, out.stderr);
  [desk, phone] = await Promise.all([newPage(browser, DESK), newPage(browser, PHONE)]);
  await Promise.all([signIn(desk, srv.url, agent), signIn(phone, srv.url, asker)]);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const thread = (page) => page.getByRole('list', { name: 'Ticket thread' });

/** The page ran clean but for the n refusals (422, or another status) the test asked for,
 *  which the browser logs. */
function cleanBut(page, n, status = 422) {
  const refused = page.problems.filter((m) => new RegExp(`status of ${status}`).test(m));
  assert.equal(refused.length, n, 'the refusals the test caused');
  assert.deepEqual(page.problems.filter((m) => !refused.includes(m)), []);
  page.problems.length = 0;
}

test('the requester opens a ticket; the team works it through the controls; a note stays the team’s', async () => {
  // the requester, on a phone: Tickets in the navigation, then New ticket
  await phone.goto(`${srv.url}/#/tickets`);
  await phone.getByRole('heading', { level: 1, name: 'Tickets' }).waitFor(WAIT);
  await phone.getByText('No tickets yet.').waitFor(WAIT);
  await phone.getByRole('link', { name: 'New ticket' }).click();
  const form = phone.getByRole('form', { name: 'New ticket' });
  await form.getByLabel('What happened').fill('Since Monday, every hour on the hour.');
  await form.getByRole('button', { name: 'Open ticket' }).click();
  const title = form.getByLabel('Title');
  await form.getByText("title can't be blank").waitFor(WAIT);
  assert.equal(await title.getAttribute('aria-invalid'), 'true', 'the field the server named');
  await assertAccessible(phone, 'the new ticket form with its error');
  await title.fill('VPN drops every hour');
  await form.getByRole('button', { name: 'Open ticket' }).click();
  await phone.getByRole('heading', { level: 1, name: 'VPN drops every hour' }).waitFor(WAIT);
  const id = phone.url().match(/#\/ticket\/(\d+)/)[1];
  await phone.getByRole('button', { name: 'Unfollow' }).waitFor(WAIT); // the requester follows it
  assert.equal(await phone.getByRole('heading', { name: 'Work on it' }).count(), 0, 'no controls for the requester');
  await phone.getByText('An answer is due').waitFor(WAIT);
  await screenshot(phone, 'ticket-requester-390');
  await assertAccessible(phone, 'the requester’s ticket page');

  // the team member, at a desk: the queue shows it, with its title and state
  await desk.goto(`${srv.url}/#/tickets`);
  const row = desk.getByRole('list', { name: 'Tickets' }).getByRole('listitem').filter({ hasText: 'VPN drops every hour' });
  await row.getByText('New', { exact: true }).waitFor(WAIT);
  await row.getByText('unassigned').waitFor(WAIT);
  await screenshot(desk, 'tickets-queue-1440');
  await assertAccessible(desk, 'the queue');
  await row.getByRole('link', { name: 'VPN drops every hour' }).click();
  await desk.getByRole('heading', { level: 2, name: 'Work on it' }).waitFor(WAIT);
  await screenshot(desk, 'ticket-controls-1440');

  // only the table's moves are offered
  const state = desk.getByLabel('State', { exact: true });
  assert.deepEqual(await state.locator('option').allTextContents(), ['New (now)', 'In progress', 'On hold', 'Resolved', 'Closed']);
  await state.selectOption('in_progress');
  await desk.getByLabel('Priority', { exact: true }).selectOption('high');
  await desk.getByRole('button', { name: 'Save changes' }).click();
  const log = thread(desk).locator('.ticket-log');
  await log.filter({ hasText: 'State: new → in_progress. Priority: normal → high.' }).waitFor(WAIT);
  assert.equal(await log.locator('article').count(), 0, 'a system entry is a log line, not a post card');
  assert.deepEqual(await desk.getByLabel('State', { exact: true }).locator('option').allTextContents(),
    ['In progress (now)', 'On hold', 'Resolved', 'Closed']);
  await desk.getByRole('button', { name: 'Assign to me' }).click();
  await log.filter({ hasText: `Assigned to @${agent.username}.` }).waitFor(WAIT);
  await desk.locator('.ticket-assignee').getByText(agent.account.display_name || agent.username).waitFor(WAIT);
  // someone found by people search: one not on the team is refused, in the server's words
  await desk.getByLabel('Assign to someone on the service team').fill(asker.username);
  await desk.getByRole('button', { name: `Assign to ${asker.account.display_name || asker.username}` }).click();
  await desk.getByRole('alert').filter({ hasText: 'the assignee must be on the service team' }).waitFor(WAIT);
  await desk.getByLabel('Team', { exact: true }).fill('network');
  await desk.getByRole('button', { name: 'Save changes' }).click();
  await log.filter({ hasText: 'Team: network.' }).waitFor(WAIT);
  await desk.locator('.ticket-facts').getByText('Team: network').waitFor(WAIT);

  // a reply and an internal note from the one reply box
  const reply = desk.getByRole('form', { name: 'Reply to the ticket' });
  await reply.getByRole('textbox').first().fill('Checking the tunnel logs now.');
  await reply.getByRole('button', { name: 'Reply', exact: true }).click();
  await thread(desk).getByText('Checking the tunnel logs now.').waitFor(WAIT);
  await reply.getByRole('textbox').first().fill('Looks like the concentrator in rack 4 again.');
  await reply.getByRole('button', { name: 'Add internal note' }).click();
  const note = thread(desk).locator('li.internal-note').filter({ hasText: 'concentrator in rack 4' });
  await note.getByText('Internal note — service team only').waitFor(WAIT);
  await screenshot(desk, 'ticket-team-1440');
  await assertAccessible(desk, 'the team’s ticket page');

  // the requester's own page, open all along, follows the thread live; read again, it has the
  // reply and the changes, not the note
  await thread(phone).getByText('Checking the tunnel logs now.').waitFor(WAIT);
  await thread(phone).locator('.ticket-log').filter({ hasText: `Assigned to @${agent.username}.` }).waitFor(WAIT);
  await phone.reload();
  await thread(phone).getByText('Checking the tunnel logs now.').waitFor(WAIT);
  await thread(phone).locator('.ticket-log').filter({ hasText: 'State: new → in_progress.' }).waitFor(WAIT);
  await phone.getByText('In progress', { exact: true }).first().waitFor(WAIT);
  assert.equal(await phone.getByText('concentrator in rack 4').count(), 0, 'the work note is not the requester’s');
  assert.equal(await phone.getByText('Internal note').count(), 0);
  assert.equal(await phone.getByRole('button', { name: 'Add internal note' }).count(), 0);

  // a move the ticket no longer allows (closed meanwhile): the server's words
  await call(agent.token, 'PATCH', `${T}/${id}`, { state: 'closed' });
  await desk.getByLabel('State', { exact: true }).selectOption('on_hold');
  await desk.getByRole('button', { name: 'Save changes' }).click();
  await desk.getByRole('alert').filter({ hasText: 'a ticket cannot move from closed to on_hold' }).waitFor(WAIT);

  // resolved: the requester reopens it
  await call(agent.token, 'PATCH', `${T}/${id}`, { state: 'in_progress' });
  await call(agent.token, 'PATCH', `${T}/${id}`, { state: 'resolved' });
  await phone.reload();
  await phone.getByRole('button', { name: 'Reopen' }).click();
  await thread(phone).locator('.ticket-log').filter({ hasText: 'State: resolved → in_progress.' }).waitFor(WAIT);
  assert.equal((await call(asker.token, 'GET', `${T}/${id}`)).state, 'in_progress');
  cleanBut(desk, 2); // the assignee off the team, the refused move
  cleanBut(phone, 1); // the blank title
});

test('the queue’s filters are kept in the address and survive a reload; a breaching ticket is marked', async () => {
  const mine = await call(asker.token, 'POST', T, { title: 'Printer on 3 jams', text: 'Paper tray 2.' });
  await call(agent.token, 'PATCH', `${T}/${mine.id}`, { assignee_id: agent.account.id, team: 'network' });
  const others = await call(asker.token, 'POST', T, { title: 'Badge reader dead', text: 'Door B.' });
  // made a month old behind the server's back: past both targets
  await serverDatabaseSql(srv, `UPDATE tickets SET created_at = created_at - ${30 * 86400000} WHERE id = ${others.id}`);

  await desk.goto(`${srv.url}/#/tickets`);
  const list = desk.getByRole('list', { name: 'Tickets' });
  await list.getByRole('link', { name: 'Badge reader dead' }).waitFor(WAIT);
  await desk.getByRole('checkbox', { name: 'Mine' }).check();
  await desk.waitForURL(/#\/tickets\/assignee=me$/);
  await list.getByRole('link', { name: 'Printer on 3 jams' }).waitFor(WAIT);
  assert.equal(await list.getByText('Badge reader dead').count(), 0);
  await desk.getByLabel('Priority', { exact: true }).selectOption('normal');
  await desk.waitForURL(/assignee=me&priority=normal$/);
  await desk.reload();
  await list.getByRole('link', { name: 'Printer on 3 jams' }).waitFor(WAIT);
  assert.equal(await desk.getByRole('checkbox', { name: 'Mine' }).isChecked(), true, 'Mine is kept');
  assert.equal(await desk.getByLabel('Priority', { exact: true }).inputValue(), 'normal');
  assert.equal(await list.getByText('Badge reader dead').count(), 0);

  await desk.goto(`${srv.url}/#/tickets/breaching=true`);
  const late = list.getByRole('listitem').filter({ hasText: 'Badge reader dead' });
  await late.getByText('Breaching').waitFor(WAIT);
  await late.getByText('Breached').first().waitFor(WAIT);
  assert.equal(await desk.getByRole('checkbox', { name: 'Breaching' }).isChecked(), true);
  assert.equal(await list.getByText('Printer on 3 jams').count(), 0, 'not breaching');
  await desk.getByRole('checkbox', { name: 'Breaching' }).uncheck();
  await desk.getByRole('checkbox', { name: 'My team' }).check();
  await desk.waitForURL(/#\/tickets\/team=network$/);
  await list.getByRole('link', { name: 'Printer on 3 jams' }).waitFor(WAIT);
  assert.equal(await list.getByText('Badge reader dead').count(), 0, 'of no team');
  await desk.getByLabel('State', { exact: true }).selectOption('closed');
  await desk.getByText('No ticket matches these filters.').waitFor(WAIT);

  // the requester sees their own, and no team filters; twenty a page, then Show more (the
  // Link header), so the oldest of 21 is on the second page
  for (let i = 0; i < 19; i++) await call(asker.token, 'POST', T, { title: `Chair ${i} squeaks`, text: 'Oil?' });
  await phone.goto(`${srv.url}/#/tickets/priority=normal`);
  const own = phone.getByRole('list', { name: 'Tickets' });
  await own.getByRole('link', { name: 'Badge reader dead' }).waitFor(WAIT);
  assert.equal(await phone.getByRole('checkbox', { name: 'Mine' }).count(), 0);
  assert.equal(await own.locator(':scope > li').count(), 20);
  assert.equal(await own.getByText('Printer on 3 jams').count(), 0);
  await phone.getByRole('button', { name: 'Show more' }).click();
  await own.getByRole('link', { name: 'Printer on 3 jams' }).waitFor(WAIT);
  await screenshot(phone, 'tickets-queue-390');
  await assertAccessible(phone, 'the requester’s queue');
  assert.deepEqual(desk.problems, []);
  assert.deepEqual(phone.problems, []);
});

test('Turn into ticket from a post, and the badge its card carries for everyone', async () => {
  const post = await author.client.v1.statuses.create({ status: 'The wifi in the east wing is down again', visibility: 'public' });
  // the requester is not on the team: no such action
  await phone.goto(`${srv.url}/#/status/${post.id}`);
  const card = (page) => page.locator(`article[data-id="${post.id}"]`);
  await card(phone).getByRole('button', { name: 'Like' }).waitFor(WAIT);
  assert.equal(await card(phone).getByRole('button', { name: 'Turn into ticket' }).count(), 0);

  await desk.goto(`${srv.url}/#/status/${post.id}`);
  await card(desk).getByRole('button', { name: 'Turn into ticket' }).click();
  await desk.getByRole('heading', { level: 1, name: 'The wifi in the east wing is down again' }).waitFor(WAIT);
  await desk.getByRole('heading', { level: 2, name: 'Work on it' }).waitFor(WAIT);
  const ticketUrl = desk.url();
  // the team's page on a phone's width too
  await desk.setViewportSize(PHONE);
  await desk.getByLabel('Assign to someone on the service team').scrollIntoViewIfNeeded();
  await screenshot(desk, 'ticket-team-390');
  await assertAccessible(desk, 'the team’s ticket page on a phone');
  await desk.setViewportSize(DESK);

  // the post's card now carries the badge, for everyone who sees the post, linking to the ticket
  await phone.reload();
  const badge = card(phone).getByRole('link', { name: 'Ticket New · Normal priority' });
  await badge.waitFor(WAIT);
  await screenshot(phone, 'ticket-badge-390');
  await badge.click();
  await phone.waitForURL(ticketUrl);
  await phone.getByRole('heading', { level: 1, name: 'The wifi in the east wing is down again' }).waitFor(WAIT);
  await phone.getByRole('button', { name: 'Follow', exact: true }).click();
  await phone.getByRole('button', { name: 'Unfollow' }).waitFor(WAIT);
  // once a ticket, the action is no longer offered
  await desk.goto(`${srv.url}/#/status/${post.id}`);
  await card(desk).getByRole('link', { name: /^Ticket New/ }).waitFor(WAIT);
  assert.equal(await card(desk).getByRole('button', { name: 'Turn into ticket' }).count(), 0);
  await assertAccessible(desk, 'a ticket’s root post');
  // a ticket one may not see, or no ticket at all
  await phone.goto(`${srv.url}/#/ticket/`); // from the ticket's page
  await phone.getByRole('heading', { level: 1, name: 'Ticket not found' }).waitFor(WAIT);
  await phone.goto(`${srv.url}/#/tickets`);
  await phone.getByRole('heading', { level: 1, name: 'Tickets' }).waitFor(WAIT);
  await phone.goto(`${srv.url}/#/ticket/12345`);
  await phone.getByRole('heading', { level: 1, name: 'Ticket not found' }).waitFor(WAIT);
  assert.deepEqual(desk.problems, []);
  cleanBut(phone, 1, 404); // the made-up ticket
});
