// Deleting a post that reached its followers through the fan-out queue (issue 10, item 30):
// the delete removes a few feed rows in the request and queues the rest, which the writer
// removes a chunk at a time, as it wrote them. Whatever rows still wait, the post is gone from
// every home feed at once, pages stay full, and a post deleted before its fan-out finished
// never reaches a feed. fanout_inline = 1 here, so four followers go through the queue.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { registerUsers, startServer } from './harness.mjs';

let server;
let url;

before(async () => {
  server = await startServer({ env: { PARTYLINE_FANOUT_INLINE: '1' } });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const homeIds = async (who, params = {}) => (await who.client.v1.timelines.home.list(params)).map((s) => s.id);

/** Waits until every reader's home feed has the post (the queued fan-out is done). */
async function untilEveryHomeHas(readers, id) {
  for (let i = 0; i < 100; i++) {
    const have = await Promise.all(readers.map(async (r) => (await homeIds(r)).includes(id)));
    if (have.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`post ${id} never reached every follower's home feed`);
}

describe('deleting a post whose fan-out was queued', () => {
  test('is gone from every home feed at once, and pages stay full', async () => {
    const [author, ...followers] = await registerUsers(url, ['qa', 'qb', 'qc', 'qd', 'qe']);
    for (const f of followers) await f.client.v1.accounts.$select(author.account.id).follow();
    const older = await author.client.v1.statuses.create({ status: 'stays' });
    const post = await author.client.v1.statuses.create({ status: 'read by four, then deleted' });
    await untilEveryHomeHas([author, ...followers], post.id);
    // a follower's boost of it reached that follower's own feed (and the author's, who follows nobody)
    const boost = await followers[0].client.v1.statuses.$select(post.id).reblog();
    assert.ok((await homeIds(followers[0])).includes(boost.id));

    await author.client.v1.statuses.$select(post.id).remove();
    for (const r of [author, ...followers]) {
      const ids = await homeIds(r);
      assert.ok(!ids.includes(post.id), 'the deleted post is in no home feed');
      assert.ok(!ids.includes(boost.id), 'nor is a boost of it');
      // the newest entry left is the older post, even while the deleted one's row may wait
      assert.deepEqual(await homeIds(r, { limit: 1 }), [older.id]);
    }
  });

  test('a post deleted right after posting never reaches a feed', async () => {
    const [author, ...followers] = await registerUsers(url, ['ra', 'rb', 'rc', 'rd', 'rf']);
    for (const f of followers) await f.client.v1.accounts.$select(author.account.id).follow();
    const gone = [];
    for (let i = 0; i < 5; i++) {
      const s = await author.client.v1.statuses.create({ status: `gone ${i}` });
      await author.client.v1.statuses.$select(s.id).remove();
      gone.push(s.id);
    }
    const marker = await author.client.v1.statuses.create({ status: 'after the deletes' });
    await untilEveryHomeHas(followers, marker.id); // the queue has worked past the deleted posts
    for (const f of followers) {
      const ids = await homeIds(f);
      for (const id of gone) assert.ok(!ids.includes(id), `deleted post ${id} is in no home feed`);
    }
  });

  test('undoing a boost that was fanned out through the queue takes it out of every feed', async () => {
    const [booster, ...followers] = await registerUsers(url, ['ba', 'bb', 'bc', 'bd']);
    const [original] = await registerUsers(url, ['bo']);
    for (const f of followers) await f.client.v1.accounts.$select(booster.account.id).follow();
    const post = await original.client.v1.statuses.create({ status: 'boost me' });
    const boost = await booster.client.v1.statuses.$select(post.id).reblog();
    await untilEveryHomeHas(followers, boost.id);
    await booster.client.v1.statuses.$select(post.id).unreblog();
    for (const f of followers) assert.ok(!(await homeIds(f)).includes(boost.id));
  });
});
