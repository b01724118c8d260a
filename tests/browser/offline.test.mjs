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
    // The stream's tries to reconnect wait 1, 2, 4, 8, 16 s … (each ±25 %, stream.js): the
    // server comes back once the fourth has been refused, when the stream's own next try is
    // 12–20 s away, so only offline.js's probe of /health can end the banner within 5 s.
    // (The fourth comes ~15 s after the drop, after the banner's 10 s.)
    let tries = 0;
    const fourthRefused = new Promise((resolve) => {
      page.on('websocket', (ws) => {
        if (++tries === 4) { ws.on('close', resolve); ws.on('socketerror', resolve); }
      });
    });
    await srv.stop();
    await closed;
    const banner = page.getByText('The live connection to the server is down');
    await banner.waitFor({ timeout: 25_000 });
    let timer;
    await Promise.race([fourthRefused, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the stream tried to reconnect ${tries} times in 30 s, not 4`)), 30_000);
    })]).finally(() => clearTimeout(timer));
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
