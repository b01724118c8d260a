// boot/early-home.js — inlined into index.html by scripts/build-web.mjs (a classic script,
// run while the page is parsed, before the bundle has arrived): when a signed-in person
// opens the home feed, it starts the feed's first request at once, so that the request and
// the code travel together instead of one after the other. js/early.js hands the answer to
// the timeline, whose first request is exactly this one (timeline.js: limit=20, api.js's
// headers); if they ever differ, the early answer is simply not used.
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
    var url = '/api/v1/timelines/home?limit=20';
    window.partylineEarly = {
      url: url,
      token: token,
      response: fetch(url, { headers: { Accept: 'application/json', Authorization: 'Bearer ' + token } }),
    };
    // a failed early request is the page's to report (as its own would be), not the console's
    window.partylineEarly.response.catch(function () {});
  } catch (e) { /* no head start */ }
})();
