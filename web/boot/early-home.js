// boot/early-home.js — inlined into index.html by scripts/build-web.mjs (a classic script,
// run while the page is parsed, before the bundle has arrived): when a signed-in person
// opens the home feed, it starts the first screen's requests at once — the feed's first page
// and the person's account (the top bar's avatar, which posts are one's own) — so that they
// and the code travel together instead of one after the other. Each answer is read as soon
// as it comes, while the code is still on its way or being compiled, so the page finds it
// complete. js/early.js hands each answer to the page's first request for exactly it
// (timeline.js: limit=20; me.js; api.js's headers); if they ever differ, the early answer is
// simply not used.
//
// It must stay tiny and fail silently: any error here only loses the head start. The
// Content-Security-Policy allows this one inline script by its SHA-256, computed at build
// time.
(function () {
  try {
    var token = localStorage.getItem('partyline.token');
    var route = location.hash.replace(/^#\/?/, '').replace(/\/$/, '');
    // "/" only: an address of a post or a person (/@name/1) and the sign-in's return
    // (?code=) are other pages
    if (!token || location.pathname !== '/' || location.search || (route !== '' && route !== 'home')) return;
    var ask = function (url) {
      var answer = fetch(url, { headers: { Accept: 'application/json', Authorization: 'Bearer ' + token } })
        .then(function (res) {
          return res.text().then(function (body) {
            return { status: res.status, statusText: res.statusText, headers: res.headers, body: body };
          });
        });
      // a failed early request is the page's to report (as its own would be), not the console's
      answer.catch(function () {});
      return { url: url, token: token, answer: answer };
    };
    window.partylineEarly = [ask('/api/v1/timelines/home?limit=20'), ask('/api/v1/accounts/verify_credentials')];
  } catch (e) { /* no head start */ }
})();
