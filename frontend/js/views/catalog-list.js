// Product cards. Unavailable products stay visible (customers can see what
// exists) but their button is disabled.

import { h, uid, announce } from '../dom.js';
import { formatMoney } from '../format.js';
import { addItem, getCart } from '../cart.js';

function productCard(product, currency) {
  const nameId = uid('product-name');
  const available = product.available !== false;
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      'data-testid': 'add-to-cart',
      'aria-describedby': nameId,
      disabled: !available,
      onclick: () => {
        addItem(product.productId);
        const line = getCart().lines.find((l) => l.productId === product.productId);
        announce(`Added ${product.name} to your cart. Quantity ${line ? line.quantity : 1}.`);
      },
    },
    available ? 'Add to cart' : 'Unavailable',
  );
  return h(
    'li',
    {
      class: `product-card${available ? '' : ' is-unavailable'}`,
      'data-testid': 'product-card',
      'data-product-id': product.productId,
    },
    h('h3', { class: 'product-name', id: nameId }, product.name || product.productId),
    product.description ? h('p', { class: 'product-description' }, product.description) : null,
    h(
      'p',
      { class: 'product-meta' },
      h('span', { class: 'product-price', 'data-testid': 'product-price' }, formatMoney(product.priceCents, currency)),
      h(
        'span',
        { class: `availability ${available ? 'in-stock' : 'out-of-stock'}` },
        available ? 'In stock' : 'Out of stock',
      ),
    ),
    button,
  );
}

export function createCatalogList(catalog, catalogError) {
  const section = h('section', { class: 'catalog', 'aria-labelledby': 'catalog-heading' },
    h('h2', { id: 'catalog-heading' }, 'Products'));
  if (!catalog) {
    section.append(h('p', { class: 'notice notice-error', role: 'alert', 'data-testid': 'catalog-error' },
      `Couldn't load the product list${catalogError ? ` (${catalogError})` : ''}. Reload the page to try again.`));
    return section;
  }
  section.append(h('ul', { class: 'product-grid', role: 'list' },
    catalog.products.map((p) => productCard(p, catalog.currency))));
  return section;
}
