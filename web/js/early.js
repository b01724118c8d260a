// early.js — takes over the home feed's early request, which index.html's inline script
// (boot/early-home.js) started while the code was still on its way, so the first post does
// not wait for the bundle to arrive before its request even leaves.
//
// The feed asks through api.js like every screen. Rather than teach api.js and timeline.js
// about a head start, the page's fetch answers the one request that matches — the same URL,
// a GET, the same token — with the early request's answer, once; every other call, and this
// one after the first, goes out as usual. Nothing is used if the token changed meanwhile
// (a sign-in finished) or the page has asked nothing like it within a few seconds.

const KEEP_MS = 10_000;

export function adoptEarlyRequest() {
  let early = window.partylineEarly;
  delete window.partylineEarly;
  if (!early?.response) return;
  const plain = window.fetch;
  const restore = () => {
    early = null;
    if (window.fetch === adopting) window.fetch = plain;
  };
  function adopting(input, init) {
    const headers = init?.headers ?? {};
    if (early && input === early.url && (init?.method ?? 'GET') === 'GET' &&
        headers.Authorization === `Bearer ${early.token}`) {
      const { response } = early;
      restore();
      return response;
    }
    return plain.call(this, input, init);
  }
  window.fetch = adopting;
  setTimeout(restore, KEEP_MS);
}
