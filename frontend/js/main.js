// Entry point: load config + catalog in parallel, then route.

import { loadConfig } from './config.js';
import { loadCatalog } from './catalog.js';
import { createApi } from './api.js';
import { createAuth } from './auth.js';
import { setRecentOwner } from './recent-orders.js';
import { removeKey } from './storage.js';
import { createCheckout } from './checkout.js';
import { initBanner, showApiError } from './banner.js';
import { initNotice } from './notice.js';
import { settleEarlierCheckout } from './earlier-checkout.js';
import { startRouter } from './router.js';
import { createShopPage } from './views/shop-page.js';
import { createOrdersPage } from './views/orders-page.js';
import { createOrderPage } from './views/order-page.js';
import { createAccountPage } from './views/account-page.js';
import { createAccountNav } from './views/account-nav.js';

const STORE = 'Bean & Cup';
const root = document.getElementById('main');
initBanner(document.getElementById('api-error'));
initNotice(document.getElementById('checkout-notice'));

// The skip link can't be a plain "#main" anchor: the hash is our router.
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  root.focus();
});

// Before accounts, orders and a typed customer id were kept for whoever used
// this browser: not for the next shopper to see.
removeKey('storefront.recentOrders.v1');
removeKey('storefront.customerId.v1');

const [configResult, catalogResult] = await Promise.allSettled([loadConfig(), loadCatalog()]);
const ctx = { api: null, auth: null, checkout: null, configError: null, catalog: null, catalogError: null, route: null };
try {
  if (configResult.status === 'rejected') throw configResult.reason;
  ctx.auth = createAuth(configResult.value.cognito);
  ctx.api = createApi(configResult.value.apiBaseUrl, ctx.auth);
  ctx.checkout = createCheckout(ctx.api, { owner: () => (ctx.auth.shopper ? ctx.auth.shopper.sub : null) });
} catch (error) {
  ctx.auth = null;
  ctx.configError = error.message;
  showApiError('config', `The store can't reach its API: ${ctx.configError} Orders can't be placed until this is fixed.`);
}
createAccountNav(document.getElementById('account-nav'), ctx.auth);
if (ctx.auth) {
  // Whoever is signed in owns the orders and the undecided checkout shown.
  let signedIn = null;
  ctx.auth.onChange((shopper) => {
    const sub = shopper ? shopper.sub : null;
    setRecentOwner(sub);
    if (sub === signedIn) return;
    signedIn = sub;
    // A checkout this shopper left undecided in this tab (then reloaded, or
    // signed out) is settled in the background; Place order waits for it.
    if (sub) settleEarlierCheckout(ctx.checkout);
    if (ctx.route && ctx.route.name !== 'shop') render(ctx.route); // pages that show the shopper's data
  });
  await ctx.auth.restore();
}
if (catalogResult.status === 'fulfilled') ctx.catalog = catalogResult.value;
else ctx.catalogError = catalogResult.reason.message;
ctx.isActive = () => ctx.route && ctx.route.name === 'shop';

// A fast API can answer between the two clicks of a double-clicked "Place
// order"; the second click would then select text on the new order page.
let lastRenderAt = 0;
document.addEventListener('mousedown', (event) => {
  if (event.detail > 1 && performance.now() - lastRenderAt < 800) event.preventDefault();
});

let shopPage = null; // kept alive, see shop-page.js
let current = null;
let firstRender = true;

function render(route) {
  if (current && current.destroy) current.destroy();
  ctx.route = route;
  if (route.name === 'order') {
    current = createOrderPage({ orderId: route.orderId, api: ctx.api, auth: ctx.auth, catalog: ctx.catalog });
    document.title = `Order status – ${STORE}`;
  } else if (route.name === 'orders') {
    current = createOrdersPage({ api: ctx.api, auth: ctx.auth });
    document.title = `My orders – ${STORE}`;
  } else if (route.name === 'account') {
    current = createAccountPage({ auth: ctx.auth, next: route.next, mode: route.mode, configError: ctx.configError });
    document.title = `Your account – ${STORE}`;
  } else {
    shopPage = shopPage || createShopPage(ctx);
    current = { el: shopPage.el };
    shopPage.onShow();
    document.title = `Shop – ${STORE}`;
  }
  root.replaceChildren(current.el);
  lastRenderAt = performance.now();
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === route.name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // On navigation, move focus to the new page's heading for screen readers
  // and keyboard users; on first load leave focus where the browser put it.
  if (!firstRender) {
    window.scrollTo(0, 0);
    const heading = current.el.querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
  }
  firstRender = false;
}

startRouter(render);
