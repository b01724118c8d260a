// complete.js — @mention and #hashtag completion in the compose textarea, as the ARIA
// combobox pattern: while the word before the caret starts with @ or #, a listbox of
// suggestions (people from /api/v1/accounts/search, hashtags from /api/v2/search) that
// arrow keys move through, Enter or Tab inserts and Escape closes. The textarea keeps focus
// throughout; aria-activedescendant says which suggestion is current.
//
//   const c = attachCompletion(textarea);  // c.el goes right after the textarea

import { api } from './api.js';
import { h } from './dom.js';

let seq = 0;
const WORD = /(?:^|[^\p{L}\p{N}_@#])([@#])([\p{L}\p{N}_]{1,30})$/u;
const DELAY = 150; // ms of typing pause before asking the server

export function attachCompletion(text) {
  const id = `complete-${++seq}`;
  const list = h('ul', { id, role: 'listbox', class: 'suggestions', 'aria-label': 'Suggestions', hidden: true });
  const status = h('span', { class: 'visually-hidden', role: 'status' });
  const el = h('div', { class: 'complete' }, list, status);
  text.setAttribute('aria-autocomplete', 'list');
  text.setAttribute('aria-controls', id);
  let items = []; // [{insert, node}]
  let active = -1;
  let token = null; // {start, end} of the word being completed
  let timer = null;
  let asked = 0;

  /** The @ or # word that ends at the caret: {sigil, q, start, end}, or null. */
  function wordAtCaret() {
    const caret = text.selectionStart;
    if (caret !== text.selectionEnd) return null;
    const m = text.value.slice(0, caret).match(WORD);
    return m ? { sigil: m[1], q: m[2], start: caret - m[2].length - 1, end: caret } : null;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    token = null;
    text.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    if (items[active]) items[active].node.setAttribute('aria-selected', 'false');
    active = (i + items.length) % items.length;
    const cur = items[active].node;
    cur.setAttribute('aria-selected', 'true');
    text.setAttribute('aria-activedescendant', cur.id);
    cur.scrollIntoView({ block: 'nearest' });
  }

  function accept(i) {
    const it = items[i];
    if (!it || !token) return;
    // the word may have grown since its suggestions came ("#quarte" asked, "#quarterl" typed):
    // the whole word is replaced, not the part that was asked about
    const now = wordAtCaret();
    const end = now && now.start === token.start ? now.end : token.end;
    const before = text.value.slice(0, token.start);
    const after = text.value.slice(end);
    const ins = `${it.insert} `;
    text.value = before + ins + after.replace(/^ /, '');
    const caret = before.length + ins.length;
    text.setSelectionRange(caret, caret);
    close();
    status.textContent = `Inserted ${it.insert}`;
    text.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function show(found, tok) {
    if (!found.length) { close(); return; }
    token = tok;
    items = found.map((f, i) => {
      const node = h('li', { id: `${id}-${i}`, role: 'option', 'aria-selected': 'false' }, f.label,
        f.detail && h('span', { class: 'detail' }, ` ${f.detail}`));
      node.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the text
      node.addEventListener('click', () => accept(i));
      return { insert: f.insert, node };
    });
    list.replaceChildren(...items.map((it) => it.node));
    list.hidden = false;
    setActive(0);
    status.textContent = `${items.length} suggestion${items.length > 1 ? 's' : ''}. Up and down to choose, Enter to insert, Escape to close.`;
  }

  async function lookup() {
    const tok = wordAtCaret();
    if (!tok) { close(); return; }
    const { sigil, q } = tok;
    const mine = ++asked;
    let found = [];
    try {
      if (sigil === '@') {
        const { data } = await api(`/api/v1/accounts/search?${new URLSearchParams({ q, limit: 5 })}`);
        found = data.map((a) => ({ insert: `@${a.acct}`, label: a.display_name || a.username, detail: `@${a.acct}` }));
      } else {
        const { data } = await api(`/api/v2/search?${new URLSearchParams({ q, type: 'hashtags', limit: 5 })}`);
        found = (data.hashtags ?? []).map((t) => ({ insert: `#${t.name}`, label: `#${t.name}` }));
      }
    } catch {
      found = []; // suggestions are a help; typing on without them is fine
    }
    if (mine !== asked || document.activeElement !== text) return; // a newer word, or gone
    // typed on while the server answered: shown only while it is still the same word
    const now = wordAtCaret();
    if (!now || now.start !== tok.start || now.sigil !== sigil || !now.q.startsWith(q)) return;
    show(found, now);
  }

  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, DELAY);
  });
  text.addEventListener('blur', () => { clearTimeout(timer); asked++; close(); });
  text.addEventListener('keydown', (e) => {
    if (list.hidden || !items.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || (e.key === 'Tab' && !e.shiftKey)) {
      e.preventDefault();
      e.stopImmediatePropagation();
      accept(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation(); // closes the list, not the reply form around it
      asked++;
      close();
    }
  });
  return { el, close };
}
