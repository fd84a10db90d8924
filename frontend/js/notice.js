// The page-wide checkout notice, below the api-error banner: news about an
// earlier checkout (it went through after all) that the shopper must see
// whichever page is open. A notice shown for one route (e.g. the order page
// it explains) goes away when the shopper leaves that route.

import { h } from './dom.js';

let box = null;
let boundTo = null; // the location.hash the notice belongs to, or null

export function initNotice(el) {
  box = el;
  el.querySelector('.notice-bar-dismiss').addEventListener('click', clearNotice);
  window.addEventListener('hashchange', () => {
    if (boundTo !== null && window.location.hash !== boundTo) clearNotice();
  });
}

// text: string; link: { href, label } or null; route: a hash the notice is
// bound to, or null to keep it until dismissed.
export function showNotice(text, { link = null, route = null } = {}) {
  if (!box) return;
  boundTo = route;
  box.querySelector('.notice-bar-messages').replaceChildren(h('p', { 'data-testid': 'checkout-notice-text' }, text),
    link ? h('p', {}, h('a', { href: link.href, 'data-testid': 'checkout-notice-link' }, link.label)) : null);
  box.hidden = false;
}

export function clearNotice() {
  if (!box) return;
  boundTo = null;
  box.hidden = true;
  box.querySelector('.notice-bar-messages').replaceChildren();
}
