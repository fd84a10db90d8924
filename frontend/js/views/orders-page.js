// #/orders : the signed-in shopper's orders, from the API, a page at a time.

import { h } from '../dom.js';
import { createOrderList } from './order-list.js';

export function createOrdersPage({ api, auth }) {
  const list = createOrderList({ api, auth, pageSize: 10, paged: true });
  list.refresh();
  const el = h('div', { class: 'page orders-page' },
    h('h1', { tabindex: '-1' }, 'My orders'),
    h('p', { class: 'muted' }, 'Every order of your account, newest first, whichever device you placed it from.'),
    h('section', { class: 'panel' }, list.el),
    h('p', {}, h('a', { href: '#/' }, 'Continue shopping')));
  return { el, destroy: list.destroy };
}
