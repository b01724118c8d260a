// boot/home-snapshot.js — inlined into index.html's head after boot/early-home.js by
// scripts/build-web.mjs (one classic script, run while the page is parsed): a returning
// visitor who opens the home feed sees the posts of their last visit at once, before the
// code has arrived, marked as such and inert, until the fresh first page takes their place
// (js/homesnapshot.js saves them and hands them to the feed; timeline.js swaps them out).
// They are drawn when the page is parsed (readyState "interactive"), which comes before
// the module bundle runs, as soon as <main id="view"> exists.
//
// Privacy: the copy belongs to the token that saved it (its FNV-1a fingerprint, as drafts
// keep theirs) and so to one account; a copy of another token, unreadable or older than
// MAX_AGE_MS is deleted here, never shown. Signing out deletes it (homesnapshot.js).
// Tiny and silent, like boot/early-home.js: any error only loses the head start.
(function () {
  try {
    var KEY = 'partyline.homeSnapshot';
    var MAX_AGE_MS = 7 * 24 * 3600 * 1000; // the same limit as js/homesnapshot.js
    var raw = localStorage.getItem(KEY);
    if (!raw) return;
    var token = localStorage.getItem('partyline.token');
    var snap = null;
    try { snap = JSON.parse(raw); } catch (e) { /* deleted below */ }
    var owner = null;
    if (token) {
      var x = 0x811c9dc5;
      for (var i = 0; i < token.length; i++) {
        x ^= token.charCodeAt(i);
        x = Math.imul(x, 0x01000193) >>> 0;
      }
      owner = x.toString(16);
    }
    if (!snap || !owner || snap.owner !== owner || typeof snap.html !== 'string' ||
        !(Date.now() - snap.at < MAX_AGE_MS)) {
      localStorage.removeItem(KEY);
      return;
    }
    var route = location.hash.replace(/^#\/?/, '').replace(/\/$/, '');
    if (location.pathname !== '/' || location.search || (route !== '' && route !== 'home')) return;
    var box = document.createElement('div');
    box.className = 'home-snapshot';
    box.setAttribute('inert', '');
    box.setAttribute('aria-busy', 'true');
    var note = document.createElement('p');
    note.className = 'snapshot-note';
    note.textContent = 'Posts from your last visit. Updating…';
    var list = document.createElement('ol');
    list.className = 'feed';
    list.setAttribute('aria-label', 'Home feed');
    list.dataset.snapshot = '';
    // js/homesnapshot.js saves no style attribute, which the CSP refuses (style-src 'self')
    // with an error in the console: a copy with one is not drawn
    if (/\sstyle="/.test(snap.html)) return;
    list.innerHTML = snap.html;
    box.append(note, list);
    var draw = function () {
      var view = document.getElementById('view');
      if (view && !box.isConnected) view.append(box);
    };
    if (document.readyState !== 'loading') draw();
    else document.addEventListener('readystatechange', draw, { once: true });
  } catch (e) { /* no head start */ }
})();
