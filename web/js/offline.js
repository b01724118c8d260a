// offline.js — the banner that says the page may be out of date: when the browser reports
// no network, and when the live connection (stream.js) has been down for a while even
// though the network seems fine (the server restarting, a proxy dropping the socket).
// Both fix themselves — the stream reconnects and the feeds fetch what they missed — so
// the banner says so instead of asking the person to reload.

import { h } from './dom.js';
import { onStreamState } from './stream.js';

const STREAM_GRACE_MS = 10_000; // a short drop and reconnect is not worth a banner

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
  onStreamState(({ connected, downSince }) => {
    streamDownSince = connected ? null : downSince;
    draw();
  });
}
