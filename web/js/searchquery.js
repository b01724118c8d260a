// searchquery.js — the search query language (docs: README "Search") split into the form's
// fields and built back. The address (#/search/<query>) holds the whole query, so a reload
// or a shared link restores every filter: parse() fills the form from it, build() writes it
// from the form, and the built text is shown so people learn the syntax as they click.

// Operators the server understands; anything else stays a word (the server treats an
// unknown key:value as plain words, so leaving it in the text keeps its meaning).
const VALUE_OPS = ['from', 'before', 'after', 'during', 'in'];
const FLAGS = { 'has:poll': 'poll', 'is:reply': 'reply' };

/** Tokens of q: quoted phrases whole (an unclosed quote runs to the end), other runs of non-space. */
function tokens(q) {
  return q.match(/"[^"]*"?|[^\s"]+/g) ?? [];
}

/**
 * Splits q into { words, from, before, after, during, in, poll, reply }. Only the first of
 * each operator goes to its field; a repeated one stays in words so nothing is lost.
 */
export function parse(q) {
  const out = { words: '', from: '', before: '', after: '', during: '', in: '', poll: false, reply: false };
  const rest = [];
  for (const t of tokens(q ?? '')) {
    const lower = t.toLowerCase();
    if (FLAGS[lower] && !out[FLAGS[lower]]) {
      out[FLAGS[lower]] = true;
      continue;
    }
    const m = t.match(/^([a-z]+):(.+)$/i);
    const key = m?.[1].toLowerCase();
    if (m && VALUE_OPS.includes(key) && !out[key]) {
      out[key] = m[2];
      continue;
    }
    rest.push(t);
  }
  out.words = rest.join(' ');
  return out;
}

/** The query text for the fields (inverse of parse); empty fields add nothing. */
export function build(f) {
  const parts = [];
  if (f.words?.trim()) parts.push(f.words.trim());
  const who = f.from?.trim().replace(/\s+/g, '');
  if (who) parts.push(`from:${who}`);
  for (const key of ['after', 'before', 'during']) if (f[key]) parts.push(`${key}:${f[key]}`);
  const channel = f.in?.trim().replace(/\s+/g, '');
  if (channel) parts.push(`in:${channel}`);
  if (f.poll) parts.push('has:poll');
  if (f.reply) parts.push('is:reply');
  return parts.join(' ');
}
