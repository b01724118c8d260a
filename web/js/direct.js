// direct.js — the text of a direct message: a direct post reaches exactly the people it
// mentions, so the recipients are put in front as @mentions unless the text names them.

export function directText(accounts, body) {
  const missing = accounts.filter((a) => !new RegExp(`(^|\\s)@${a.acct.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(body));
  const prefix = missing.map((a) => `@${a.acct}`).join(' ');
  return prefix ? `${prefix} ${body}` : body;
}
