// #/ : catalog, cart and the signed-in shopper's latest orders. Created once and kept alive
// across routes, so an in-flight checkout and half-typed fields survive
// a detour to another page.

import { h } from '../dom.js';
import { subscribe, getCart } from '../cart.js';
import { createCatalogList } from './catalog-list.js';
import { createCheckoutForm } from './checkout-form.js';
import { createOrderList } from './order-list.js';

export function createShopPage(ctx) {
  const form = createCheckoutForm({
    catalog: ctx.catalog, checkout: ctx.checkout, auth: ctx.auth, configError: ctx.configError, isActive: ctx.isActive,
  });
  // On a phone the cart is below the products: give a quick way there.
  const jump = h('button', {
    type: 'button', class: 'button cart-jump',
    onclick: () => { form.el.scrollIntoView({ block: 'start' }); form.heading.focus({ preventScroll: true }); },
  });
  const updateJump = (cart) => {
    const count = cart.lines.reduce((n, l) => n + l.quantity, 0);
    jump.textContent = `Go to cart (${count})`;
  };
  updateJump(getCart());
  subscribe(updateJump);

  const recent = createOrderList({ api: ctx.api, auth: ctx.auth, pageSize: 5, paged: false });
  const el = h('div', { class: 'page shop-page' },
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Coffee & brewing gear'), jump),
    h('div', { class: 'shop-layout' }, createCatalogList(ctx.catalog, ctx.catalogError), form.el),
    h('section', { class: 'panel recent-section', 'aria-labelledby': 'recent-heading' },
      h('h2', { id: 'recent-heading' }, 'Your latest orders'), recent.el));
  // Called by the router each time the page is shown again.
  return { el, onShow: recent.refresh };
}
