// #/account : sign in, create an account, or confirm one with the e-mailed
// code; then back to where the shopper was (`next`, e.g. the cart). The cart
// is in localStorage and is not touched by any of this, so it survives
// signing in and signing up.

import { h, uid } from '../dom.js';
import { navigate } from '../router.js';

const TITLES = { 'sign-in': 'Sign in', 'sign-up': 'Create an account', confirm: 'Confirm your e-mail address' };
const SUBMIT = { 'sign-in': 'Sign in', 'sign-up': 'Create account', confirm: 'Confirm' };
const BUSY = { 'sign-in': 'Signing in…', 'sign-up': 'Creating your account…', confirm: 'Confirming…' };

function field(label, attrs, hint) {
  const control = h('input', { id: uid('account'), required: true, ...attrs });
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const el = h('div', { class: 'field' }, h('label', { for: control.id }, label), hintEl, control);
  return { el, control };
}

export function createAccountPage({ auth, next, mode: firstMode = 'sign-in', configError }) {
  const heading = h('h1', { tabindex: '-1' });
  const email = field('E-mail address', { type: 'email', autocomplete: 'username', 'data-testid': 'account-email', maxlength: 128 });
  const password = field('Password', { type: 'password', 'data-testid': 'account-password', maxlength: 256 },
    'At least 12 characters, with upper and lower case letters and a digit.');
  const code = field('Confirmation code', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', 'data-testid': 'account-code', maxlength: 16 },
    'We e-mailed you a code when you created your account.');
  const error = h('p', { class: 'notice notice-error', role: 'alert', tabindex: '-1', 'data-testid': 'account-error', hidden: true });
  const info = h('p', { class: 'notice', role: 'status', 'data-testid': 'account-message', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-wide', 'data-testid': 'account-submit' });
  const resend = h('button', { type: 'button', class: 'button', 'data-testid': 'account-resend', onclick: () => resendCode() }, 'Send a new code');
  const toSignUp = h('p', {}, 'New here? ', h('button', { type: 'button', class: 'button-link', 'data-testid': 'account-to-sign-up', onclick: () => show('sign-up') }, 'Create an account'));
  const toSignIn = h('p', {}, 'Have an account? ', h('button', { type: 'button', class: 'button-link', 'data-testid': 'account-to-sign-in', onclick: () => show('sign-in') }, 'Sign in'));
  const form = h('form', { class: 'account-form', novalidate: true, 'aria-labelledby': 'account-heading' },
    email.el, password.el, code.el, error, submit, resend);
  const signedIn = h('div', { 'data-testid': 'account-signed-in', hidden: true });
  const panel = h('section', { class: 'panel account-panel' }, info, form, toSignUp, toSignIn, signedIn);
  heading.id = 'account-heading';
  const el = h('div', { class: 'page account-page' }, heading, panel,
    h('p', {}, h('a', { href: next, 'data-testid': 'account-back' }, next === '#/' ? 'Back to the shop' : 'Back')));

  let mode = 'sign-in';
  let busy = false;
  let typedPassword = ''; // kept for this page view only, to sign in straight after confirming

  function say(target, text) {
    target.textContent = text || '';
    target.hidden = !text;
    if (text && target === error) error.focus();
  }

  function show(next_mode, { keepMessage = false } = {}) {
    mode = next_mode;
    heading.textContent = TITLES[mode];
    submit.textContent = SUBMIT[mode];
    password.el.hidden = mode === 'confirm';
    password.control.autocomplete = mode === 'sign-up' ? 'new-password' : 'current-password';
    code.el.hidden = mode !== 'confirm';
    resend.hidden = mode !== 'confirm';
    toSignUp.hidden = mode !== 'sign-in';
    toSignIn.hidden = mode === 'sign-in';
    say(error, '');
    if (!keepMessage) say(info, '');
    (mode === 'confirm' && email.control.value ? code : email).control.focus();
  }

  function showSignedIn(shopper) {
    form.hidden = true;
    toSignUp.hidden = true;
    toSignIn.hidden = true;
    heading.textContent = 'Your account';
    signedIn.replaceChildren(h('p', {}, 'Signed in as ', h('strong', {}, shopper.email), '.'),
      h('p', {}, h('a', { href: '#/orders' }, 'My orders')));
    signedIn.hidden = false;
  }

  function setBusy(value) {
    busy = value;
    submit.disabled = value;
    resend.disabled = value;
    submit.textContent = value ? BUSY[mode] : SUBMIT[mode];
  }

  // Client-side checks first: the pool would refuse the same, slower.
  function invalid() {
    const address = email.control.value.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) return { text: 'Enter your e-mail address.', target: email.control };
    if (mode !== 'confirm' && !password.control.value) return { text: 'Enter your password.', target: password.control };
    if (mode === 'sign-up' && !/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{12,}$/.test(password.control.value)) {
      return { text: 'Use at least 12 characters, with upper and lower case letters and a digit.', target: password.control };
    }
    if (mode === 'confirm' && !code.control.value.trim()) return { text: 'Enter the code from the e-mail.', target: code.control };
    return null;
  }

  async function signIn(address, secret) {
    const answer = await auth.signIn(address, secret);
    if (answer.ok) { navigate(next); return; }
    if (answer.code === 'UserNotConfirmedException') {
      typedPassword = secret;
      show('confirm', { keepMessage: true });
      say(info, `Enter the code we e-mailed to ${address} to finish creating your account.`);
      return;
    }
    say(error, answer.message);
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    const problem = invalid();
    if (problem) { say(error, problem.text); problem.target.setAttribute('aria-invalid', 'true'); return; }
    for (const f of [email, password, code]) f.control.removeAttribute('aria-invalid');
    const address = email.control.value.trim();
    say(error, '');
    setBusy(true);
    try {
      if (mode === 'sign-in') {
        await signIn(address, password.control.value);
      } else if (mode === 'sign-up') {
        const answer = await auth.signUp(address, password.control.value);
        if (!answer.ok) { say(error, answer.message); return; }
        typedPassword = password.control.value;
        show('confirm', { keepMessage: true });
        say(info, `We e-mailed a code to ${address}. Enter it to finish creating your account.`);
      } else {
        const answer = await auth.confirm(address, code.control.value.trim());
        if (!answer.ok) { say(error, answer.message); return; }
        if (typedPassword) { await signIn(address, typedPassword); return; }
        show('sign-in', { keepMessage: true });
        say(info, 'Your e-mail address is confirmed. Sign in to continue.');
      }
    } finally {
      setBusy(false);
    }
  }

  async function resendCode() {
    const address = email.control.value.trim();
    if (!address) { say(error, 'Enter your e-mail address.'); return; }
    setBusy(true);
    const answer = await auth.resendCode(address);
    setBusy(false);
    if (answer.ok) say(info, `We sent a new code to ${address}.`);
    else say(error, answer.message);
  }

  form.addEventListener('submit', onSubmit);
  if (!auth) {
    form.hidden = true;
    toSignUp.hidden = true;
    say(info, `Signing in is not possible right now: ${configError || 'the store is not configured'}.`);
    heading.textContent = TITLES['sign-in'];
  } else if (auth.shopper) {
    showSignedIn(auth.shopper);
  } else {
    show(firstMode);
  }
  return { el };
}
