// #/orders : every order placed from this browser (up to 20).

import { h } from '../dom.js';
import { createRecentList } from './recent-list.js';

export function createOrdersPage({ api }) {
  const list = createRecentList({ limit: 20, api });
  list.refresh();
  const el = h('div', { class: 'page orders-page' },
    h('h1', { tabindex: '-1' }, 'Recent orders'),
    h('p', { class: 'muted' }, 'Orders placed from this browser, newest first.'),
    h('section', { class: 'panel' }, list.el),
    h('p', {}, h('a', { href: '#/' }, 'Continue shopping')));
  return { el, destroy: list.destroy };
}
