// views/register.js — creating an account (#/register), as a Mastodon app does it: this
// browser's registered app gets an app token (client_credentials), then POST /api/v1/accounts
// answers a user token, with which the person is signed in. Only offered where the server
// allows sign-ups (GET /api/v2/instance registrations.enabled); where it needs an
// administrator's approval the token cannot be used yet, so the page says what happens next.
// Where the address must be confirmed first (the token answers 403 "…missing a confirmed
// e-mail address", as Mastodon's does), the page says to open the link mailed to it and
// offers to send it again (POST /api/v1/emails/confirmations with that token).
// Field errors come back under `details.<field>` and are shown beside their field; every
// typed value stays in place. Where approval is needed the form also asks why the person
// wants to join (Mastodon's `reason`, optional): the administrator reads it beside the request
// (`partyline admin list-pending`). Its limit comes from the instance
// (registrations.reason_max_characters); the box does not cut at it, because the server counts
// characters, not the UTF-16 units maxlength counts: a live count says how many are left, and
// the server's answer past the limit is shown by the field like the others.

import { h } from '../dom.js';
import { instance } from '../instance.js';
import { appToken, session } from '../session.js';

export const title = 'Create an account';
export const publicView = true;

const REASON_MAX_FALLBACK = 500;

const FIELDS = [
  ['username', 'Username', { type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', maxlength: 30, pattern: '[A-Za-z0-9_]+' },
    'Letters, digits and underscores, up to 30. Colleagues will find you by it.'],
  ['email', 'Work e-mail', { type: 'email', autocomplete: 'email' }, 'You sign in with it.'],
  ['password', 'Password', { type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 72 },
    'At least 8 characters.'],
];

/** POST with a bearer token; answers {status, data} without throwing on 4xx (the form shows those). */
async function post(path, token, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, data: await res.json().catch(() => null) };
}

function closedNotice(root) {
  root.append(h('section', { class: 'welcome card' },
    h('h1', {}, 'Sign-up is closed'),
    h('p', {}, 'This server does not take new sign-ups. Ask your administrator to create an account for you; they can do it in a minute.'),
    h('p', {}, h('a', { href: '#/signin' }, 'Back to sign in'))));
}

/** "Check your e-mail": the link was mailed; it can be sent again with the new token. */
function confirmNotice(root, { username, email, token, approval }) {
  const status = h('p', { role: 'status', class: 'note' });
  const again = h('button', { type: 'button', class: 'quiet' }, 'Send the link again');
  again.addEventListener('click', async () => {
    again.disabled = true;
    status.textContent = 'Sending…';
    try {
      const { status: code, data } = await post('/api/v1/emails/confirmations', token, {});
      status.textContent = code === 200
        ? `Sent again to ${email}. The newest link is the one that works.`
        : `It was not sent: ${data?.error ?? `the server answered ${code}`}`;
    } catch (err) {
      status.textContent = `It was not sent: ${err.message}`;
    } finally {
      again.disabled = false;
    }
  });
  root.replaceChildren(h('section', { class: 'welcome card', tabindex: '-1' },
    h('h1', {}, 'Check your e-mail'),
    h('p', {}, `The account @${username} is created. We sent a link to ${email}: open it to confirm that the address is yours, then sign in with your e-mail and password.`),
    approval && h('p', {}, 'An administrator also approves new accounts here; you can sign in once both are done.'),
    h('p', {}, 'Nothing arrived after a few minutes? Look in your spam folder, or:'),
    h('div', { class: 'row' }, again, h('a', { href: '#/signin' }, 'Back to sign in')),
    status));
  root.querySelector('section').focus();
}

function pendingNotice(root, username) {
  root.replaceChildren(h('section', { class: 'welcome card', tabindex: '-1' },
    h('h1', {}, 'Thanks — your account waits for approval'),
    h('p', {}, `The account @${username} is created. An administrator reviews new accounts on this server; once yours is approved you can sign in with your e-mail and password.`),
    h('p', {}, h('a', { href: '#/signin' }, 'Back to sign in'))));
  root.querySelector('section').focus();
}

export function render(root, { navigate }) {
  if (session.isSignedIn()) {
    navigate('#/home');
    return;
  }
  let alive = true;
  const loading = h('p', { class: 'empty', role: 'status' }, 'Loading…');
  root.append(loading);
  instance().then((data) => {
    if (!alive) return;
    loading.remove();
    if (!data?.registrations?.enabled) closedNotice(root);
    else drawForm(root, data);
  }).catch((e) => {
    if (!alive) return;
    loading.className = 'error';
    loading.textContent = `Could not ask the server whether it takes sign-ups: ${e.message} Reload the page to try again.`;
  });
  return () => { alive = false; };
}

function drawForm(root, instance) {
  const approval = !!instance.registrations.approval_required;
  const inputs = {};
  const errors = {};
  const rows = FIELDS.map(([name, label, attrs, hint]) => {
    const id = `reg-${name}`;
    const input = h('input', { id, name, required: true, ...attrs, 'aria-describedby': `${id}-hint ${id}-error` });
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    inputs[name] = input;
    errors[name] = error;
    return h('div', { class: 'field' }, h('label', { for: id }, label), input,
      h('span', { class: 'hint', id: `${id}-hint` }, hint), error);
  });
  if (approval) rows.push(reasonRow(instance, inputs, errors));
  const rules = (instance.rules ?? []).map((r) => r.text).filter(Boolean);
  const agreement = h('input', { type: 'checkbox', id: 'reg-agreement', name: 'agreement', required: true });
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Create account');
  const form = h('form', { class: 'register card', 'aria-labelledby': 'reg-title' },
    h('h1', { id: 'reg-title' }, 'Create your account'),
    approval && h('p', { class: 'note' }, 'An administrator approves new accounts here: you can sign in once yours is approved.'),
    rows,
    rules.length > 0 && h('div', { class: 'rules' }, h('h2', {}, 'Server rules'), h('ol', {}, rules.map((t) => h('li', {}, t)))),
    h('div', { class: 'field check' }, agreement,
      h('label', { for: 'reg-agreement' }, rules.length ? 'I agree to the server rules' : 'I agree to use this account as my company asks')),
    formError,
    h('div', { class: 'row' }, submit, h('a', { href: '#/signin' }, 'I already have an account')));
  root.append(form);

  const clearErrors = () => {
    formError.hidden = true;
    for (const name of Object.keys(inputs)) {
      errors[name].hidden = true;
      errors[name].textContent = '';
      inputs[name].removeAttribute('aria-invalid');
    }
  };
  for (const [name, input] of Object.entries(inputs)) {
    input.addEventListener('input', () => {
      errors[name].hidden = true;
      input.removeAttribute('aria-invalid');
    });
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    submit.disabled = true;
    submit.textContent = 'Creating your account…';
    const username = inputs.username.value.trim();
    try {
      const token = await appToken();
      const { status, data } = await post('/api/v1/accounts', token, {
        username, email: inputs.email.value.trim(), password: inputs.password.value,
        agreement: agreement.checked, locale: (navigator.language || 'en').split('-')[0],
        ...(inputs.reason && inputs.reason.value.trim() ? { reason: inputs.reason.value } : {}),
      });
      if (status !== 200 || !data?.access_token) {
        showFailure(status, data);
        return;
      }
      // Until the address is confirmed, or an administrator approves, the token is refused
      // (403, saying which); asking also covers a server whose settings changed since this
      // page was drawn.
      const check = await fetch('/api/v1/accounts/verify_credentials', {
        headers: { Authorization: `Bearer ${data.access_token}`, Accept: 'application/json' },
      });
      const refusal = check.status === 403 ? (await check.json().catch(() => null))?.error ?? '' : '';
      if (/confirmed e-mail/i.test(refusal)) {
        confirmNotice(root, { username, email: inputs.email.value.trim(), token: data.access_token, approval });
        return;
      }
      if (approval || check.status === 403) {
        pendingNotice(root, username);
        return;
      }
      // the register page is done (Back should not return to it): a new person is welcomed
      history.replaceState(null, '', '#/welcome');
      session.useToken(data.access_token); // the router redraws: the welcome, signed in
    } catch (err) {
      formError.textContent = `Your account was not created: ${err.message} Everything you typed is still here; try again.`;
      formError.hidden = false;
    } finally {
      submit.disabled = false;
      submit.textContent = 'Create account';
    }
  });

  function showFailure(status, data) {
    let first = null;
    for (const [name, list] of Object.entries(data?.details ?? {})) {
      if (!inputs[name]) continue;
      const words = (Array.isArray(list) ? list : []).map((d) => d.description).filter(Boolean).join(' ');
      errors[name].textContent = words || 'Please check this field.';
      errors[name].hidden = false;
      inputs[name].setAttribute('aria-invalid', 'true');
      first ??= inputs[name];
    }
    if (first) {
      first.focus();
      return;
    }
    const why = (data?.error_description || data?.error || `The server answered ${status}.`).replace(/^Validation failed: /, '');
    formError.textContent = status === 403
      ? `${why}. Ask your administrator for an account.`.replace(/\.\./, '.')
      : `Your account was not created: ${why} Everything you typed is still here.`;
    formError.hidden = false;
  }
}

/** "Why do you want to join?": a textarea with a live count of the characters left. */
function reasonRow(instance, inputs, errors) {
  const max = Number(instance.registrations.reason_max_characters) || REASON_MAX_FALLBACK;
  const id = 'reg-reason';
  const input = h('textarea', { id, name: 'reason', rows: 4, 'aria-describedby': `${id}-hint ${id}-count ${id}-error` });
  const count = h('span', { class: 'count', id: `${id}-count`, 'aria-live': 'off' });
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  // code points, as the server counts them
  const recount = () => {
    const left = max - [...input.value].length;
    const n = Math.abs(left);
    const chars = n === 1 ? 'character' : 'characters';
    count.textContent = left >= 0 ? `${n} ${chars} left` : `${n} ${chars} too many`;
    count.classList.toggle('over', left < 0);
  };
  input.addEventListener('input', recount);
  recount();
  inputs.reason = input;
  errors.reason = error;
  return h('div', { class: 'field reason' }, h('label', { for: id }, 'Why do you want to join?'), input,
    h('div', { class: 'reason-meta' },
      h('span', { class: 'hint', id: `${id}-hint` }, `Optional, up to ${max} characters. The administrator who approves new accounts reads it.`),
      count),
    error);
}
