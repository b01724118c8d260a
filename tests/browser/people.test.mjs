// people.test.mjs — profiles, notifications and direct messages in the browser against a
// real server: follow, mute and block someone from their profile (checked through
// masto.js), the followers list, editing one's curated profile and another person seeing
// it, pinning a post to the top, the notifications page clearing the unread count, and a
// direct message a third person cannot see. Screenshots at phone and desk sizes; axe-core.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { raw, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { assertAccessible, DESK, launch, newPage, PHONE, screenshot, signIn } from './browser.mjs';

const WAIT = { timeout: 15_000 };

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** Both sizes: screenshot, axe, no console errors. */
async function checkScreen(page, name, size) {
  await screenshot(page, `${name}-${size.width}`);
  await assertAccessible(page, `${name} ${size.width}px`);
  assert.deepEqual(page.problems, [], `${name}: no console errors or CSP violations`);
}

async function relationship(client, id) {
  const [rel] = await client.v1.accounts.relationships.fetch({ id: [id] });
  return rel;
}

test("another person's profile: follow, followers list, mute, block with confirmation", async () => {
  const ada = await registerUser(srv.url, uniqueName('ada'));
  const ben = await registerUser(srv.url, uniqueName('ben'));
  await ben.client.v1.accounts.updateCredentials({ displayName: 'Ben Okafor', note: 'Runs the *warehouse*' });
  await ben.client.v1.statuses.create({ status: 'Inventory is done for the week' });

  for (const size of [PHONE, DESK]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, ada);
    await page.goto(`${srv.url}/#/profile/${ben.account.id}`);
    await page.getByRole('heading', { name: 'Ben Okafor', level: 1 }).waitFor(WAIT);
    await page.getByRole('list', { name: 'Posts by Ben Okafor' }).getByText('Inventory is done for the week').waitFor(WAIT);
    await page.getByRole('button', { name: 'Follow', exact: true }).waitFor(WAIT);
    await checkScreen(page, 'profile-other', size);
    await page.context().close();
  }

  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, ada);
  await page.goto(`${srv.url}/#/profile/${ben.account.id}`);
  await page.getByRole('button', { name: 'Follow', exact: true }).click(WAIT);
  await page.getByRole('button', { name: 'Unfollow' }).waitFor(WAIT);
  assert.equal((await relationship(ada.client, ben.account.id)).following, true, 'the server has the follow');

  // Ben's followers list shows Ada, linked to her profile
  await page.getByRole('link', { name: /1 follower/ }).click();
  const followers = page.getByRole('list', { name: 'Followers' });
  await followers.getByRole('link', { name: new RegExp(ada.username) }).waitFor(WAIT);
  await page.getByRole('link', { name: "Back to Ben Okafor's profile" }).click();

  await page.getByRole('button', { name: 'Mute', exact: true }).click(WAIT);
  await page.getByRole('button', { name: 'Unmute' }).waitFor(WAIT);
  assert.equal((await relationship(ada.client, ben.account.id)).muting, true, 'the server has the mute');

  // Block asks first; Cancel does nothing
  await page.getByRole('button', { name: 'Block', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await relationship(ada.client, ben.account.id)).blocking, false, 'Cancel did not block');
  await page.getByRole('button', { name: 'Block', exact: true }).click();
  await page.getByRole('button', { name: 'Block Ben Okafor' }).click();
  await page.getByRole('button', { name: 'Unblock' }).waitFor(WAIT);
  const rel = await relationship(ada.client, ben.account.id);
  assert.equal(rel.blocking, true, 'the server has the block');
  assert.equal(rel.following, false, 'blocking ended the follow');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('edit your profile: name, bio, a field, hidden followers; another person sees it', async () => {
  const cleo = await registerUser(srv.url, uniqueName('cleo'));
  const dan = await registerUser(srv.url, uniqueName('dan'));
  await dan.client.v1.accounts.$select(cleo.account.id).follow();

  for (const size of [PHONE, DESK]) {
    const page = await newPage(browser, size);
    await signIn(page, srv.url, cleo);
    await page.goto(`${srv.url}/#/profile`);
    await page.getByRole('link', { name: 'Edit profile' }).waitFor(WAIT);
    await checkScreen(page, 'profile-own', size);
    await page.getByRole('link', { name: 'Edit profile' }).click();
    await page.getByLabel('Display name').waitFor(WAIT);
    await checkScreen(page, 'profile-edit', size);
    await page.context().close();
  }

  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, cleo);
  await page.goto(`${srv.url}/#/profile/edit`);
  await page.getByLabel('Bio').fill('Head of design. Ask me about fonts.');
  // the server refuses a name over its limit (30): the error says so and nothing typed is lost
  const tooLong = 'C'.repeat(31);
  await page.getByLabel('Display name').fill(tooLong);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('alert').getByText(/Your profile was not saved: .*Display name/).waitFor(WAIT);
  assert.equal(await page.getByLabel('Display name').inputValue(), tooLong);
  assert.equal(await page.getByLabel('Bio').inputValue(), 'Head of design. Ask me about fonts.');
  await page.getByLabel('Display name').fill('Cleo Martins');
  await page.getByLabel('Bio').fill('Head of design. Ask me about fonts.');
  // the server says how many fields (configuration.accounts.max_profile_fields: 4)
  assert.equal(await page.getByLabel(/^Field \d label$/).count(), 4);
  await page.getByLabel('Field 1 label').fill('Team');
  await page.getByLabel('Field 1 content').fill('Design');
  await page.getByLabel('Hide your followers and following').check();
  await page.getByLabel('Keep your boosts off your profile').check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('heading', { name: 'Cleo Martins', level: 1 }).waitFor(WAIT);
  await page.getByText('Your followers and following are hidden from others.').waitFor(WAIT);
  await page.getByText('Your boosts are kept off your profile.').waitFor(WAIT);
  assert.equal((await cleo.client.v1.accounts.verifyCredentials()).source.hideBoosts, true);

  const seen = await dan.client.v1.accounts.$select(cleo.account.id).fetch();
  assert.equal(seen.displayName, 'Cleo Martins');
  assert.match(seen.note, /Head of design\. Ask me about fonts\./);
  assert.deepEqual(seen.fields.map((f) => [f.name, f.value]), [['Team', 'Design']]);
  assert.equal(seen.hideCollections, true);
  const shown = await dan.client.v1.accounts.$select(cleo.account.id).followers.list();
  assert.deepEqual(shown, [], 'the server hides her followers from others');

  const d = await newPage(browser, DESK);
  await signIn(d, srv.url, dan);
  await d.goto(`${srv.url}/#/profile/${cleo.account.id}`);
  await d.getByRole('heading', { name: 'Cleo Martins', level: 1 }).waitFor(WAIT);
  await d.getByText('Head of design. Ask me about fonts.').waitFor(WAIT);
  await d.getByRole('definition').getByText('Design').waitFor(WAIT);
  await d.getByText('Cleo Martins keeps who follows them and whom they follow private.').waitFor(WAIT);
  await d.getByRole('link', { name: /1 follower/ }).click();
  await d.getByText('Cleo Martins keeps this list private.').waitFor(WAIT);
  // the refused save above is logged by the browser as a failed request; nothing else may be
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
  assert.deepEqual(d.problems, []);
  await page.context().close();
  await d.context().close();
});

test('pin a post from your profile and it is featured on top', async () => {
  const eve = await registerUser(srv.url, uniqueName('eve'));
  await eve.client.v1.statuses.create({ status: 'The older post to feature' });
  await eve.client.v1.statuses.create({ status: 'The newest post' });
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, eve);
  await page.goto(`${srv.url}/#/profile`);
  const posts = page.getByRole('list', { name: /^Posts by / });
  const older = posts.getByRole('article').filter({ hasText: 'The older post to feature' });
  await older.getByRole('button', { name: 'Pin to profile' }).click(WAIT);
  const featured = page.getByRole('list', { name: 'Featured posts' });
  await featured.getByText('The older post to feature').waitFor(WAIT);
  await older.getByRole('button', { name: 'Unpin from profile' }).waitFor(WAIT);
  // featured comes before the posts on the page
  const order = await page.evaluate(() => {
    const f = document.querySelector('[aria-label="Featured posts"]');
    const p = document.querySelector('[aria-label^="Posts by"]');
    return Boolean(f.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(order, 'featured posts are above the posts');
  const pins = await eve.client.v1.accounts.$select(eve.account.id).statuses.list({ pinned: true });
  assert.deepEqual(pins.map((s) => s.content), ['<p>The older post to feature</p>']);

  // another person sees it featured too
  const fay = await registerUser(srv.url, uniqueName('fay'));
  const other = await newPage(browser, DESK);
  await signIn(other, srv.url, fay);
  await other.goto(`${srv.url}/#/profile/${eve.account.id}`);
  await other.getByRole('list', { name: 'Featured posts' }).getByText('The older post to feature').waitFor(WAIT);
  assert.equal(await other.getByRole('button', { name: 'Pin to profile' }).count(), 0, 'no pin buttons on others');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(other.problems, []);
  await page.context().close();
  await other.context().close();
});

test('notifications say who liked and followed; viewing them clears the unread count', async () => {
  const gus = await registerUser(srv.url, uniqueName('gus'));
  const hana = await registerUser(srv.url, uniqueName('hana'));
  await hana.client.v1.accounts.updateCredentials({ displayName: 'Hana Sato' });
  const post = await gus.client.v1.statuses.create({ status: 'Lunch talk at noon' });
  await hana.client.v1.statuses.$select(post.id).favourite();
  await hana.client.v1.accounts.$select(gus.account.id).follow();
  await hana.client.v1.statuses.create({ status: `@${gus.username} are the slides ready?` });
  const unread = async () => (await raw(srv.url, '/api/v1/partyline/unread', { token: gus.token })).json.notifications;
  assert.equal(await unread(), 3, 'three unread before the page is seen');

  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, gus);
  await page.goto(`${srv.url}/#/notifications`);
  const list = page.getByRole('list', { name: 'Notifications' });
  await list.getByText('Hana Sato liked your post').waitFor(WAIT);
  await list.getByText('Hana Sato followed you').waitFor(WAIT);
  await list.getByText('Hana Sato mentioned you').waitFor(WAIT);
  await list.getByText('are the slides ready?').waitFor(WAIT);
  await page.waitForFunction(() => document.querySelector('#nav a[href="#/notifications"] .badge')?.hidden === true, null, WAIT);
  assert.equal(await unread(), 0, 'the marker moved: nothing unread');
  await checkScreen(page, 'notifications', PHONE);

  // the Mentions filter shows only the mention
  await page.getByLabel('Show').selectOption({ label: 'Mentions' });
  await list.getByText('Hana Sato mentioned you').waitFor(WAIT);
  await page.waitForFunction(() => document.querySelectorAll('.notifications > li').length === 1, null, WAIT);
  await page.context().close();

  const desk = await newPage(browser, DESK);
  await signIn(desk, srv.url, gus);
  await desk.goto(`${srv.url}/#/notifications`);
  await desk.getByRole('list', { name: 'Notifications' }).getByText('Hana Sato liked your post').waitFor(WAIT);
  await checkScreen(desk, 'notifications', DESK);
  await desk.context().close();
});

test('a direct message from the messages page: B reads and replies, C cannot see it', async () => {
  const ivy = await registerUser(srv.url, uniqueName('ivy'));
  const jon = await registerUser(srv.url, uniqueName('jon'));
  const kim = await registerUser(srv.url, uniqueName('kim'));
  await jon.client.v1.accounts.updateCredentials({ displayName: 'Jon Berg' });
  await ivy.client.v1.accounts.updateCredentials({ displayName: 'Ivy Chen' });
  const secret = `The budget is ${uniqueName('n')}`;

  const a = await newPage(browser, PHONE);
  await signIn(a, srv.url, ivy);
  await a.goto(`${srv.url}/#/messages`);
  await a.getByRole('button', { name: 'New message' }).click(WAIT);
  await a.getByLabel('To: find people by name').fill('Jon Ber');
  await a.getByRole('button', { name: new RegExp(`^Add Jon Berg @${jon.username}`) }).click(WAIT);
  await a.getByRole('list', { name: 'Recipients' }).getByText('Jon Berg').waitFor(WAIT);
  await a.getByLabel('Message', { exact: true }).fill(secret);
  await a.getByRole('button', { name: 'Send' }).click();
  await a.getByRole('heading', { name: 'Messages with Jon Berg' }).waitFor(WAIT);
  await a.getByRole('list', { name: 'Messages' }).getByText(secret).waitFor(WAIT);
  await checkScreen(a, 'conversation', PHONE);
  await a.goto(`${srv.url}/#/messages`);
  await a.getByRole('list', { name: 'Conversations' }).getByText(secret).waitFor(WAIT);
  await checkScreen(a, 'messages', PHONE);

  // B sees it, unread, opens it and replies
  const b = await newPage(browser, DESK);
  await signIn(b, srv.url, jon);
  await b.goto(`${srv.url}/#/messages`);
  const row = b.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: /Ivy Chen/ });
  await row.getByText('Unread').waitFor(WAIT);
  await checkScreen(b, 'messages', DESK);
  // read under Messages, not again under Notifications
  await b.goto(`${srv.url}/#/notifications`);
  await b.getByText(/^Nothing yet\./).waitFor(WAIT);
  // (in the page: the desk's column may list it under Catch-up, as an unread message)
  assert.equal(await b.locator('main').getByText(secret).count(), 0, 'the message is not a notification too');
  await b.goto(`${srv.url}/#/messages`);
  await row.click();
  await b.getByRole('list', { name: 'Messages' }).getByText(secret).waitFor(WAIT);
  await b.getByLabel('Reply to Ivy Chen').fill('Thanks, noted.');
  await b.getByRole('button', { name: 'Send' }).click();
  await b.getByRole('list', { name: 'Messages' }).getByText('Thanks, noted.').waitFor(WAIT);
  // a conversation, not posts: bubbles (Ivy's on the left, one's own on the right), no
  // public actions, no @name in front of the text (the page says who is in it once)
  const thread = b.getByRole('list', { name: 'Messages' });
  await thread.getByRole('article', { name: 'Message from Ivy Chen' }).getByText(secret).waitFor(WAIT);
  await thread.getByRole('article', { name: 'Your message' }).getByText('Thanks, noted.').waitFor(WAIT);
  for (const action of ['Boost', 'Like', 'Bookmark', 'Reply']) {
    assert.equal(await thread.getByRole('button', { name: new RegExp(`^${action}`) }).count(), 0, `no ${action} on a message`);
  }
  assert.doesNotMatch(await thread.innerText(), /@/, 'no @names in the bubbles');
  const sides = await thread.locator('li.msg').evaluateAll((els) => els.map((e) => [e.className, e.getBoundingClientRect().left]));
  assert.ok(sides[1][1] > sides[0][1], "one's own message sits to the right of the other's");
  await checkScreen(b, 'conversation', DESK);
  const [conv] = await jon.client.v1.conversations.list();
  assert.equal(conv.unread, false, 'reading marked it read');
  assert.match(conv.lastStatus.content, /Thanks, noted\./);
  assert.equal(conv.lastStatus.visibility, 'direct');

  // Ivy has the reply
  const ivyConvs = await ivy.client.v1.conversations.list();
  assert.match(ivyConvs[0].lastStatus.content, /Thanks, noted\./);

  // C sees nothing: not in C's messages page, and the status is 404 for C
  const c = await newPage(browser, PHONE);
  await signIn(c, srv.url, kim);
  await c.goto(`${srv.url}/#/messages`);
  await c.getByText('No messages yet.').waitFor(WAIT);
  assert.equal(await c.getByText(secret).count(), 0);
  const first = ivyConvs[0].lastStatus.inReplyToId;
  const r = await raw(srv.url, `/api/v1/statuses/${first}`, { token: kim.token });
  assert.equal(r.status, 404, 'C cannot read the message');

  // B deletes the conversation: asked in place first ("Keep it" keeps it), then gone for B only
  await b.getByRole('button', { name: 'Delete conversation' }).click();
  await b.getByRole('button', { name: 'Keep it' }).click();
  await b.getByRole('button', { name: 'Delete conversation' }).waitFor(WAIT);
  assert.equal((await jon.client.v1.conversations.list()).length, 1, 'Keep it kept it');
  await b.getByRole('button', { name: 'Delete conversation' }).click();
  await b.getByRole('group', { name: /Delete this conversation/ }).getByRole('button', { name: 'Delete' }).click();
  await b.waitForURL((u) => u.hash === '#/messages', WAIT);
  await b.getByText('No messages yet.').waitFor(WAIT);
  assert.equal((await jon.client.v1.conversations.list()).length, 0, 'gone for B');
  assert.equal((await ivy.client.v1.conversations.list()).length, 1, 'Ivy keeps her copy');
  for (const p of [a, b, c]) {
    assert.deepEqual(p.problems, []);
    await p.context().close();
  }
});

test('a locked account: asking to follow, and accepting from notifications and the follow requests page', async () => {
  const lena = await registerUser(srv.url, uniqueName('lena'));
  const max = await registerUser(srv.url, uniqueName('max'));
  const ned = await registerUser(srv.url, uniqueName('ned'));
  await lena.client.v1.accounts.updateCredentials({ locked: true, displayName: 'Lena Ruiz' });
  await max.client.v1.accounts.updateCredentials({ displayName: 'Max Weber' });
  await ned.client.v1.accounts.updateCredentials({ displayName: 'Ned Park' });

  const m = await newPage(browser, PHONE);
  await signIn(m, srv.url, max);
  await m.goto(`${srv.url}/#/profile/${lena.account.id}`);
  await m.getByRole('button', { name: 'Ask to follow' }).click(WAIT);
  await m.getByRole('button', { name: 'Withdraw follow request' }).waitFor(WAIT);
  await m.getByText('Requested: Lena Ruiz approves followers').waitFor(WAIT);
  assert.equal((await relationship(max.client, lena.account.id)).requested, true);
  await ned.client.v1.accounts.$select(lena.account.id).follow();

  const l = await newPage(browser, DESK);
  await signIn(l, srv.url, lena);
  await l.goto(`${srv.url}/#/notifications`);
  const row = l.getByRole('listitem').filter({ hasText: 'Max Weber asked to follow you' });
  await row.getByRole('button', { name: 'Accept Max Weber' }).click(WAIT);
  await row.getByText('Max Weber now follows you.').waitFor(WAIT);
  assert.equal((await relationship(max.client, lena.account.id)).following, true, 'Max follows Lena now');

  await l.goto(`${srv.url}/#/profile`);
  await l.getByRole('link', { name: /Follow requests/ }).click(WAIT);
  const requests = l.getByRole('list', { name: 'Follow requests' });
  await requests.getByRole('button', { name: 'Reject Ned Park' }).click(WAIT);
  await requests.getByText('You turned down Ned Park.').waitFor(WAIT);
  assert.equal((await relationship(ned.client, lena.account.id)).requested, false, "Ned's request is gone");
  await assertAccessible(l, 'follow requests 1440px');
  assert.deepEqual(m.problems, []);
  assert.deepEqual(l.problems, []);
  await m.context().close();
  await l.context().close();
});

test('a list that fails to load says why and loads on Try again', async () => {
  const lee = await registerUser(srv.url, uniqueName('lee'));
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.url, lee);
  let failed = 0;
  await page.route('**/api/v1/conversations?*', (route) => (failed++ ? route.continue() : route.abort('connectionreset')));
  await page.goto(`${srv.url}/#/messages`);
  await page.getByText('Could not load your messages: The server cannot be reached.').waitFor(WAIT);
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByText('No messages yet.').waitFor(WAIT);
  assert.equal(await page.getByRole('button', { name: 'Try again' }).isVisible(), false);
  await page.context().close();
});
