// offline.js — the banner that says the page may be out of date: when the browser reports
// no network, and when the live connection (stream.js) has been down for a while even
// though the network seems fine (the server restarting, a proxy dropping the socket).
// Both fix themselves — the stream reconnects and the feeds fetch what they missed — so
// the banner says so instead of asking the person to reload.
//
// Noticing the server is back: the stream's reconnects back off up to 30 s (so that a
// restarted server is not hit by every page at once), which left the banner up to half a
// minute after an outage. While the stream is down this module asks the server's /health
// every ~2 s (a request that costs the server nothing, and fails at once while it is down);
// when the server answers again after it could not be reached, it tells the page "the
// network is back" (the `online` event, which stream.js answers by reconnecting at once and
// the feeds by catching up), so the banner goes within a few seconds. A server that answers
// all along while the stream is down (a proxy that drops sockets) is left to the stream's
// own backoff: waking it every 2 s would only hammer what refuses it.

import { h } from './dom.js';
import { onStreamState } from './stream.js';

const STREAM_GRACE_MS = 10_000; // a short drop and reconnect is not worth a banner
const PROBE_MS = 2_000; // between two questions to /health while the stream is down
const PROBE_TIMEOUT_MS = 2_000;

/**
 * While the stream is down: asks /health every PROBE_MS (with jitter, so the pages of a
 * company do not all ask at once), and calls back() when it answers after having failed.
 * Returns stop().
 */
function watchServer(back) {
  let timer = null;
  let unreachable = false;
  let stopped = false;
  async function probe() {
    timer = null;
    if (stopped) return;
    if (navigator.onLine) {
      let ok = false;
      try {
        const res = await fetch('/health', { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        ok = res.ok;
      } catch {
        ok = false;
      }
      if (stopped) return;
      if (!ok) unreachable = true;
      else if (unreachable) {
        unreachable = false;
        back();
      }
    }
    timer = setTimeout(probe, PROBE_MS * (0.75 + Math.random() * 0.5));
  }
  timer = setTimeout(probe, PROBE_MS * (0.75 + Math.random() * 0.5));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export function startConnectivity() {
  const text = h('span');
  const banner = h('div', { class: 'offline-banner', role: 'status', hidden: true }, text);
  document.querySelector('header.bar')?.after(banner);
  let streamDownSince = null;
  let timer = null;

  function draw() {
    clearTimeout(timer);
    if (!navigator.onLine) {
      text.textContent = 'You are offline. Posts may be out of date; partyline will reconnect by itself when the network is back.';
      banner.hidden = false;
      return;
    }
    const down = streamDownSince ? Date.now() - streamDownSince : 0;
    if (streamDownSince && down >= STREAM_GRACE_MS) {
      text.textContent = 'The live connection to the server is down. Posts may be out of date; partyline keeps trying to reconnect by itself.';
      banner.hidden = false;
      return;
    }
    banner.hidden = true;
    if (streamDownSince) timer = setTimeout(draw, STREAM_GRACE_MS - down);
  }

  addEventListener('offline', draw);
  addEventListener('online', draw);
  let stopWatching = null;
  onStreamState(({ connected, downSince }) => {
    streamDownSince = connected ? null : downSince;
    if (streamDownSince && !stopWatching) {
      stopWatching = watchServer(() => dispatchEvent(new Event('online')));
    } else if (!streamDownSince && stopWatching) {
      stopWatching();
      stopWatching = null;
    }
    draw();
  });
}
