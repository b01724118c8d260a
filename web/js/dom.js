// dom.js — a tiny element builder: h('p', {class: 'x', onclick: fn}, 'text', child).
// Text is always set as text (never parsed as HTML); the one exception, server-made post
// HTML, goes through serverHtml() so every place that trusts markup is greppable.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/**
 * An element holding HTML as the server made it: Status.content, an Account's note and field
 * values, a channel's note — all rendered by src/util/text.c (text_render_html), which
 * escapes all user text and emits only <p>, <br>, <a> and <span>; the page's
 * Content-Security-Policy forbids inline script besides. Use for nothing else.
 */
export function serverHtml(tag, attrs, html) {
  const el = h(tag, attrs);
  el.innerHTML = html;
  for (const a of el.querySelectorAll('a')) {
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
  }
  return el;
}

/** Shows a short message in the polite live region. */
export function toast(text, ms = 3000) {
  const t = document.getElementById('toast');
  t.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.textContent = ''; }, ms);
}
