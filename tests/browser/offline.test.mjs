// offline.test.mjs — after an outage the page notices the server is back within 5 s
// (web/js/offline.js asks /health while the live connection is down; issue 13 item 4), not
// after the stream's 30 s backoff: the server is stopped under a signed-in page, the banner
// comes, the server is started again on the same port and data, and the banner goes.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { dropDatabase, makeDatabase, registerUser, startServer, uniqueName } from '../api/harness.mjs';
import { launch, newPage, PHONE, signIn } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('after an outage the banner goes within 5 s of the server coming back', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'partyline-outage-'));
  const database = await makeDatabase();
  let srv = await startServer({ dataDir, database });
  const { port } = srv;
  try {
    const erin = await registerUser(srv.url, uniqueName('erin'));
    const page = await newPage(browser, PHONE);
    const opened = page.waitForEvent('websocket');
    await signIn(page, srv.url, erin);
    const closed = (await opened).waitForEvent('close');
    await srv.stop();
    await closed;
    const banner = page.getByText('The live connection to the server is down');
    await banner.waitFor({ timeout: 25_000 });
    // long enough down that the stream's own backoff has grown past 5 s (1, 2, 4, 8 s …)
    await new Promise((r) => setTimeout(r, 8_000));
    srv = await startServer({ dataDir, database, port });
    const back = Date.now();
    await banner.waitFor({ state: 'hidden', timeout: 5_000 });
    const took = Date.now() - back;
    assert.ok(took < 5_000, `the banner went ${took} ms after the server was back`);
    // and the page is live again: a new post arrives behind the bar
    await erin.client.v1.statuses.create({ status: `back again ${uniqueName('b')}` });
    await page.getByRole('button', { name: /new post/ }).waitFor({ timeout: 10_000 });
    // the refused reconnects and probes are the browser's own console messages, not the page's
    assert.deepEqual(page.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), []);
    await page.context().close();
  } finally {
    await srv.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (database) await dropDatabase(database);
  }
});
