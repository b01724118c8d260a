// channels.test.mjs — channels in the browser against a real server: browse (yours first,
// private and public marked), join a public channel and post there (a fellow member sees the
// post), ask to join a private channel and be let in by a moderator, a pinned announcement
// on top, a moderator removing a member. Screenshots and axe for channels, channel, members.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };
let srv;
let browser;
let alice; // owns both channels
let bob;
let carol;
let pub;
let priv;

async function call(who, method, path, json) {
  const r = await raw(srv.url, path, { method, token: who.token, json });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  alice = await registerUser(srv.url, uniqueName('alice'));
  bob = await registerUser(srv.url, uniqueName('bob'));
  carol = await registerUser(srv.url, uniqueName('carol'));
  pub = await call(alice, 'POST', '/api/v1/partyline/channels',
    { name: uniqueName('bikes'), display_name: 'Bikes', note: 'Rides and repairs' });
  priv = await call(alice, 'POST', '/api/v1/partyline/channels',
    { name: uniqueName('board'), display_name: 'Board room', note: 'Plans not yet public', private: true });
  await call(alice, 'POST', '/api/v1/statuses', { status: 'Board minutes are ready', channel_id: priv.id });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function page(who, size, hash) {
  const p = await newPage(browser, size);
  p.on('dialog', (d) => d.accept());
  await signIn(p, srv.url, who);
  await p.goto(`${srv.url}/${hash}`);
  return p;
}

test('browse channels: yours first, the others marked private or public with member counts', async () => {
  for (const [size, name] of [[DESK, 'channels-1440'], [PHONE, 'channels-390']]) {
    const p = await page(bob, size, '#/channels');
    const others = p.getByRole('list', { name: 'Other channels' });
    const bikes = others.getByRole('listitem').filter({ hasText: 'Bikes' });
    const board = others.getByRole('listitem').filter({ hasText: 'Board room' });
    await bikes.waitFor(WAIT);
    await board.getByText('Private', { exact: true }).waitFor(WAIT);
    await bikes.getByText('Public', { exact: true }).waitFor();
    assert.match(await bikes.textContent(), /1 member/);
    await board.getByRole('button', { name: 'Ask to join Board room' }).waitFor();
    await p.getByRole('list', { name: 'Your channels' }).getByRole('link', { name: 'everyone' }).waitFor(WAIT);
    await screenshot(p, name);
    await assertAccessible(p, `channels ${size.width}px`);
    assert.deepEqual(p.problems, []);
    await p.context().close();
  }
});

test('join a public channel and post there; a fellow member sees the post', async () => {
  const b = await page(bob, PHONE, '#/channels');
  await b.getByRole('button', { name: 'Join Bikes' }).click(WAIT);
  const mine = b.getByRole('list', { name: 'Your channels' });
  await mine.getByRole('link', { name: 'Bikes' }).waitFor(WAIT);
  assert.ok(await b.getByRole('button', { name: 'Leave Bikes' }).isVisible(), 'the channel moved to yours, with Leave');
  await mine.getByRole('link', { name: 'Bikes' }).click();
  await b.getByRole('heading', { name: 'Bikes', level: 1 }).waitFor(WAIT);
  await b.getByText('Your role: Member').waitFor(WAIT);
  const text = `Saturday ride at nine ${uniqueName('r')}`;
  await b.getByLabel('What would you like to share?').fill(text);
  await b.getByRole('button', { name: 'Post', exact: true }).click();
  await b.getByRole('list', { name: 'Channel posts' }).getByRole('article').first().getByText(text).waitFor(WAIT);
  await screenshot(b, 'channel-390');
  await assertAccessible(b, 'channel 390px');

  const a = await page(alice, DESK, `#/channel/${pub.id}`);
  await a.getByRole('list', { name: 'Channel posts' }).getByText(text).waitFor(WAIT);
  await screenshot(a, 'channel-1440');
  await assertAccessible(a, 'channel 1440px (moderator)');
  const posts = await call(alice, 'GET', `/api/v1/partyline/channels/${pub.id}/timeline`);
  assert.equal(posts[0].partyline.channel_id, pub.id, 'the server has the post in the channel');
  assert.deepEqual(b.problems, []);
  assert.deepEqual(a.problems, []);
  await b.context().close();
  await a.context().close();
});

test('ask to join a private channel; a moderator approves; the asker then sees its posts', async () => {
  const c = await page(carol, PHONE, `#/channel/${priv.id}`);
  await c.getByRole('heading', { name: 'This channel is private' }).waitFor(WAIT);
  assert.equal(await c.getByText('Board minutes are ready').count(), 0, 'no posts for outsiders');
  await c.getByRole('region', { name: 'Private channel' }).getByRole('button', { name: 'Ask to join Board room' }).click();
  await c.getByText('Requested', { exact: true }).first().waitFor(WAIT);
  const asked = await call(carol, 'GET', `/api/v1/partyline/channels/${priv.id}`);
  assert.equal(asked.requested, true, 'the server has the request');

  for (const [size, name] of [[PHONE, 'members-390'], [DESK, 'members-1440']]) {
    const a = await page(alice, size, `#/channel/${priv.id}/members`);
    await a.getByRole('list', { name: 'People asking to join' }).getByText(carol.account.username).first().waitFor(WAIT);
    await a.getByRole('list', { name: 'Members' }).getByText('Owner', { exact: true }).first().waitFor(WAIT);
    await screenshot(a, name);
    await assertAccessible(a, `members ${size.width}px`);
    if (size === DESK) {
      await a.getByRole('button', { name: `Approve ${carol.account.display_name || carol.account.username}` }).click();
      await a.getByRole('list', { name: 'Members' }).getByText(`@${carol.account.acct}`).waitFor(WAIT);
      await a.getByText('Nobody is waiting.').waitFor(WAIT);
    }
    assert.deepEqual(a.problems, []);
    await a.context().close();
  }
  await c.reload();
  await c.getByRole('list', { name: 'Channel posts' }).getByText('Board minutes are ready').waitFor(WAIT);
  await c.getByText('Your role: Member').waitFor();
  assert.deepEqual(c.problems, []);
  await c.context().close();
});

test('a moderator pins an announcement and members see it on top', async () => {
  const older = await call(alice, 'POST', '/api/v1/statuses', { status: 'Helmets are required on every ride', channel_id: pub.id });
  await call(alice, 'POST', '/api/v1/statuses', { status: 'Newer chatter about tyres', channel_id: pub.id });
  const a = await page(alice, DESK, `#/channel/${pub.id}`);
  const card = a.getByRole('list', { name: 'Channel posts' }).getByRole('article').filter({ hasText: 'Helmets are required' });
  await card.waitFor(WAIT);
  await card.getByText('Moderate').click();
  await card.getByRole('button', { name: 'Pin to top' }).click();
  await a.getByRole('list', { name: 'Pinned announcements' }).getByText('Helmets are required').waitFor(WAIT);
  const pins = await call(alice, 'GET', `/api/v1/partyline/channels/${pub.id}/pins`);
  assert.deepEqual(pins.map((s) => s.id), [older.id], 'the server has the pin');

  const b = await page(bob, PHONE, `#/channel/${pub.id}`);
  const pinned = b.getByRole('list', { name: 'Pinned announcements' });
  await pinned.getByText('Helmets are required').waitFor(WAIT);
  const above = await b.evaluate(() => {
    const pinsEl = document.querySelector('[aria-label="Pinned announcements"]');
    const feed = document.querySelector('[aria-label="Channel posts"]');
    return !!(pinsEl.compareDocumentPosition(feed) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(above, 'the pinned post is above the channel posts');
  assert.equal(await b.getByText('Moderate').count(), 0, 'members get no moderator menu');
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);
  await a.context().close();
  await b.context().close();
});

test('a moderator removes a member', async () => {
  const bobName = bob.account.display_name || bob.account.username;
  const a = await page(alice, PHONE, `#/channel/${pub.id}/members`);
  const members = a.getByRole('list', { name: 'Members' });
  await members.getByText(`@${bob.account.acct}`).waitFor(WAIT);
  await a.getByRole('button', { name: `Remove ${bobName} from the channel` }).click();
  await members.getByText(`@${bob.account.acct}`).waitFor({ state: 'detached', ...WAIT });
  const left = await call(bob, 'GET', `/api/v1/partyline/channels/${pub.id}`);
  assert.equal(left.member, false, 'the server no longer has bob as a member');
  assert.deepEqual(a.problems, []);
  await a.context().close();
});

test('create a channel: a taken name is explained and the entries stay; then it is made and opened', async () => {
  const p = await page(carol, DESK, '#/channels');
  await p.getByText('Create a channel', { exact: true }).click();
  const form = p.getByRole('form', { name: 'Create a channel' });
  await form.getByLabel('Name', { exact: true }).fill(pub.name);
  await form.getByLabel('Description (optional)').fill('Quiet reading');
  await form.getByLabel(/^Private/).check();
  await form.getByRole('button', { name: 'Create channel' }).click();
  await form.getByRole('alert').filter({ hasText: 'has already been taken' }).waitFor(WAIT);
  assert.equal(await form.getByLabel('Description (optional)').inputValue(), 'Quiet reading', 'entries kept');
  const name = uniqueName('reading');
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByRole('button', { name: 'Create channel' }).click();
  await p.getByRole('heading', { name, level: 1 }).waitFor(WAIT);
  await p.getByText('Your role: Owner').waitFor(WAIT);
  const mine = await raw(srv.url, '/api/v1/partyline/channels?member=true', { token: carol.token });
  const made = mine.json.find((c) => c.name === name);
  assert.equal(made?.private, true, 'the server has a private channel');
  const refused = p.problems.filter((m) => /status of 422/.test(m)); // the taken name, wanted
  assert.equal(refused.length, 1);
  assert.deepEqual(p.problems.filter((m) => !refused.includes(m)), []);
  await p.context().close();
});
