// early.js — takes over the first screen's early requests, which index.html's inline script
// (boot/early-home.js) started while the code was still on its way — the home feed's first
// page and the person's account — so that the first post does not wait for the bundle to
// arrive before its request even leaves.
//
// Each is asked through api.js like every request. Rather than teach api.js, timeline.js and
// me.js about a head start, the page's fetch answers a request that matches one — the same
// URL, a GET, the same token — with that early request's answer, once, as a Response made
// from the body the inline script has already read, whose json() answers at once (a real
// body would be read again in a few tasks, each waiting behind whatever the page does
// meanwhile: the first screen's drawing, its first paint); every other call, and each of
// these after its first, goes out as usual. Nothing is used if the token changed meanwhile (a
// sign-in finished) or the page has asked nothing like it within a few seconds. An early
// request that failed fails the page's as its own would have (api.js says the server cannot
// be reached).

const KEEP_MS = 10_000;

/** An answer already read: its json() parses the text it was made of, without a task. */
class ReadResponse extends Response {
  #text;
  constructor(text, init) {
    super(text, init);
    this.#text = text;
  }
  json() {
    try {
      return Promise.resolve(JSON.parse(this.#text));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

export function adoptEarlyRequests() {
  let early = Array.isArray(window.partylineEarly) ? window.partylineEarly.filter((e) => e?.answer) : [];
  delete window.partylineEarly;
  if (!early.length) return;
  const plain = window.fetch;
  const restore = () => {
    early = [];
    if (window.fetch === adopting) window.fetch = plain;
  };
  function adopting(input, init) {
    const headers = init?.headers ?? {};
    const i = early.findIndex((e) => input === e.url && (init?.method ?? 'GET') === 'GET' &&
      headers.Authorization === `Bearer ${e.token}`);
    if (i < 0) return plain.call(this, input, init);
    const [{ answer }] = early.splice(i, 1);
    if (!early.length) restore();
    return answer.then(({ status, statusText, headers: h, body }) =>
      new ReadResponse(status === 204 ? null : body, { status, statusText, headers: h }));
  }
  window.fetch = adopting;
  setTimeout(restore, KEEP_MS);
}
