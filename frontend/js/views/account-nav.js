// The header's account corner: "Sign in", or the signed-in e-mail and
// "Sign out". Signing out forgets the session in this tab (and revokes its
// refresh token); the cart stays, as it belongs to the browser.

import { h, announce } from '../dom.js';
import { signInHref } from '../router.js';

export function createAccountNav(box, auth) {
  const signIn = h('a', { class: 'account-link', 'data-testid': 'sign-in-link' }, 'Sign in');
  const who = h('span', { class: 'account-email', 'data-testid': 'signed-in-email' });
  const signOut = h('button', {
    type: 'button', class: 'button button-link', 'data-testid': 'sign-out',
    onclick: async () => {
      signOut.disabled = true;
      await auth.signOut();
      signOut.disabled = false;
      announce('You are signed out.');
    },
  }, 'Sign out');
  const signedIn = h('span', { class: 'account-signed-in' }, h('span', { class: 'visually-hidden' }, 'Signed in as '), who, ' ', signOut);

  // The link comes back to the page the shopper is on.
  const updateLink = () => {
    const here = window.location.hash || '#/';
    signIn.setAttribute('href', here.startsWith('#/account') ? here : signInHref(here));
  };

  function render(shopper) {
    who.textContent = shopper ? shopper.email : '';
    box.replaceChildren(shopper ? signedIn : signIn);
    updateLink();
  }

  window.addEventListener('hashchange', updateLink);
  if (auth) {
    auth.onChange(render);
    render(auth.shopper);
  } else {
    box.replaceChildren();
  }
}
