// The cart form: lines, note, who is ordering and the Place order button,
// plus how each checkout outcome is shown. Placing an order needs a signed-in
// shopper (the API makes it theirs); the cart itself needs no account. Idempotency, and an earlier checkout whose
// outcome was never known, are handled by checkout.js.

import { h, uid } from '../dom.js';
import { getCart, subscribe, clearCart, setNote } from '../cart.js';
import { rememberOrder } from '../recent-orders.js';
import { navigate, orderHref, signInHref } from '../router.js';
import { showApiError, clearApiError } from '../banner.js';
import { showNotice, clearNotice } from '../notice.js';
import { ambiguityReason, earlierUnconfirmedText, rememberEarlierOrder, EARLIER_ORDER_SHOWN } from '../earlier-checkout.js';
import { createCartLines } from './cart-lines.js';
import { groupDetails, fieldLabel } from './field-errors.js';
import { lineProblem, listNames } from '../availability.js';

const MAX_LINES = 50;
// After an ambiguous answer the order may exist (the API queues it before it
// answers). Trying again is safe: checkout.js keeps the attempt's key, and
// replays it first if the cart was changed meanwhile.
const MAYBE_PLACED = 'your order may or may not have been placed. Your cart is kept. Try again: it will not make a second order, even if you change the cart first.';

function textField({ label, hint, control, field }) {
  const errorId = uid('error');
  const hintId = hint ? uid('hint') : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const error = h('p', { class: 'field-error', id: errorId, 'data-testid': 'field-error', 'data-field': field, hidden: true });
  const el = h('div', { class: 'field' },
    h('label', { for: control.id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control, error);
  return { el, control, error };
}

export function createCheckoutForm({ catalog, checkout, auth, configError, isActive }) {
  const heading = h('h2', { id: 'cart-heading', tabindex: '-1' }, 'Your cart');
  const lines = createCartLines(catalog, { onRemoved: () => heading.focus() });

  // Who the order is for: the signed-in e-mail, or links to sign in.
  const who = h('strong', { 'data-testid': 'ordering-as' });
  const signIn = h('a', { class: 'button', href: signInHref('#/'), 'data-testid': 'checkout-sign-in' }, 'Sign in');
  const signUp = h('a', { class: 'button-link', href: signInHref('#/', 'sign-up'), 'data-testid': 'checkout-sign-up' }, 'create an account');
  const account = h('div', { class: 'checkout-account', 'data-testid': 'checkout-account' });
  const signedInLine = h('p', {}, 'Ordering as ', who);
  const signedOutLine = h('p', {}, signIn, ' or ', signUp, ' to place your order. Your cart is kept.');
  function renderAccount(shopper) {
    who.textContent = shopper ? shopper.email : '';
    account.replaceChildren(shopper ? signedInLine : signedOutLine);
  }
  const counter = h('span', {}, '');
  const note = textField({
    label: 'Note (optional)', field: 'note', hint: h('span', {}, 'Up to 500 characters. ', counter),
    control: h('textarea', { id: 'order-note', rows: 3, maxlength: 500, 'data-testid': 'order-note', value: getCart().note }),
  });
  const updateCounter = () => { counter.textContent = `${note.control.value.length}/500 used.`; };
  updateCounter();

  const summaryTitle = h('p', { class: 'form-error-title' });
  const summaryList = h('ul', { class: 'form-error-list' });
  const summary = h('div', { class: 'form-error', 'data-testid': 'form-error', role: 'alert', tabindex: '-1', hidden: true }, summaryTitle, summaryList);
  const button = h('button', { type: 'submit', class: 'button button-primary button-wide', 'data-testid': 'place-order' }, 'Place order');
  const status = h('p', { class: 'checkout-status', 'data-testid': 'checkout-status', 'aria-live': 'polite' });

  const form = h('form', { class: 'checkout-form', novalidate: true, 'aria-labelledby': 'cart-heading' },
    lines.el, note.el, account, summary, button, status);
  const el = h('section', { class: 'cart panel', 'aria-labelledby': 'cart-heading' }, heading, form);

  function setFieldError(field, message) {
    field.error.textContent = message || '';
    field.error.hidden = !message;
    if (message) field.control.setAttribute('aria-invalid', 'true');
    else field.control.removeAttribute('aria-invalid');
  }

  function clearErrors() {
    lines.clearErrors();
    setFieldError(note, null);
    summary.hidden = true;
    summaryList.replaceChildren();
  }

  // One entry per field; each summary entry moves focus to its field.
  function showSummary(title, entries) {
    summaryTitle.textContent = title;
    summaryList.replaceChildren(...entries.map(({ text, target }) => h('li', {},
      target ? h('button', { type: 'button', class: 'button-link', onclick: () => target.focus() }, text) : text)));
    summary.hidden = false;
    summary.focus();
  }

  function showValidation(byField, title) {
    clearErrors();
    lines.showErrors(byField);
    const entries = [];
    for (const [key, messages] of byField) {
      const text = messages.join(' ');
      if (key === 'note') setFieldError(note, text);
      const target = key === 'account' ? signIn : key === 'note' ? note.control
        : key === 'items' && lines.unavailable().length ? lines.unavailableNotice.querySelector('button') : lines.focusFor(key);
      const lineIndex = Number((key.match(/^items\.(\d+)/) || [])[1]);
      entries.push({ text: `${fieldLabel(key, lines.lineName(lineIndex))}: ${text}`, target });
    }
    showSummary(title, entries);
  }

  function clientErrors(cart) {
    const errors = new Map();
    if (cart.lines.length === 0) errors.set('items', ['Add at least one product.']);
    if (cart.lines.length > MAX_LINES) errors.set('items', [`An order can have at most ${MAX_LINES} different products.`]);
    if (auth && !auth.shopper) errors.set('account', ['Sign in or create an account to place your order. Your cart is kept.']);
    // Checkout is blocked, rather than sending the other lines only, so that
    // the shopper decides: nothing is ordered that they did not see.
    const names = lines.unavailable().map((u) => u.name);
    if (names.length && !errors.has('items')) {
      errors.set('items', [`${listNames(names)} can't be ordered now. Remove ${names.length === 1 ? 'it' : 'them'} first.`]);
    }
    return errors;
  }

  function setBusy(busy, reason) {
    button.disabled = busy;
    button.textContent = !busy ? 'Place order' : reason === 'checking' ? 'Checking earlier checkout…' : 'Placing order…';
    form.setAttribute('aria-busy', String(busy));
  }

  function handleOutcome(outcome, payload) {
    if (!['network', 'server', 'earlier-unconfirmed'].includes(outcome.type)) clearApiError('checkout');
    switch (outcome.type) {
      case 'earlier-accepted': {
        // The earlier attempt's order exists: show it, keep the (changed)
        // cart, and let the shopper decide; nothing new was sent.
        const { order } = outcome;
        rememberEarlierOrder(order, outcome.payload);
        status.textContent = 'Your earlier checkout went through. Your changed cart was not sent.';
        if (isActive()) {
          showNotice(EARLIER_ORDER_SHOWN, { route: orderHref(order.orderId), link: { href: '#/', label: 'Back to your cart' } });
          navigate(orderHref(order.orderId));
        } else {
          showNotice(`Your earlier checkout went through: order ${order.orderId}. Your cart is kept — you can cancel that order or place the new one.`,
            { link: { href: orderHref(order.orderId), label: 'See that order' } });
        }
        return;
      }
      case 'earlier-unconfirmed':
        status.textContent = 'Earlier checkout not confirmed yet. Your changed cart was not sent.';
        showApiError('checkout', earlierUnconfirmedText(outcome.cause));
        return;
      case 'accepted': {
        const { order } = outcome;
        rememberOrder({ orderId: order.orderId, createdAt: order.createdAt, status: order.status, items: order.items || payload.items });
        clearCart();
        lines.hideUndo();
        note.control.value = '';
        updateCounter();
        status.textContent = '';
        if (isActive()) navigate(orderHref(order.orderId));
        else status.textContent = 'Your order was placed. See My orders.';
        return;
      }
      case 'validation':
        status.textContent = 'Order not placed.';
        showValidation(groupDetails(outcome.details), outcome.details.length
          ? 'The order was not placed. Please fix the following:'
          : outcome.message || 'The order was not placed: the request was invalid.');
        return;
      case 'network':
      case 'server': {
        status.textContent = 'Order not confirmed: it may or may not have been placed.';
        const reason = ambiguityReason(outcome);
        showApiError('checkout', `${reason[0].toUpperCase()}${reason.slice(1)}: ${MAYBE_PLACED}`);
        return;
      }
      case 'unauthorized':
        status.textContent = 'Order not sent: you are signed out.';
        showSummary('You are signed out. Sign in again to place your order: your cart is kept.', [{ text: 'Sign in', target: signIn }]);
        return;
      case 'rejected':
        status.textContent = 'Order not placed.';
        showSummary(outcome.message || `The order was not accepted (HTTP ${outcome.status}).`, []);
        return;
      default:
    }
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (checkout && checkout.busy) return; // a request is in flight: ignore
    lines.commitInputs();
    const cart = getCart();
    const errors = clientErrors(cart);
    if (errors.size) {
      showValidation(errors, 'Please fix the following before placing the order:');
      return;
    }
    if (!checkout) {
      showApiError('config', `Orders can't be placed right now: ${configError || 'the store is not configured'}.`);
      status.textContent = 'Order not sent.';
      return;
    }
    clearErrors();
    const noteText = note.control.value.trim();
    const payload = {
      // Never send a line the catalog refuses (the check above blocks them anyway).
      items: cart.lines.filter((l) => !lineProblem(catalog, l.productId))
        .map(({ productId, quantity }) => ({ productId, quantity })),
      ...(noteText ? { note: noteText } : {}),
    };
    clearNotice();
    status.textContent = 'Placing your order…';
    const outcome = await checkout.submit(payload, {
      onSlow: () => { status.textContent = 'Still working…'; },
      onReplay: () => { status.textContent = 'Checking your earlier checkout first…'; },
    });
    if (outcome.type !== 'ignored') handleOutcome(outcome, payload);
  }

  form.addEventListener('submit', onSubmit);
  if (auth) auth.onChange(renderAccount);
  renderAccount(auth ? auth.shopper : null);
  note.control.addEventListener('input', () => {
    setNote(note.control.value);
    updateCounter();
    setFieldError(note, null);
  });

  // Errors point at line numbers, so any cart change makes them stale.
  const render = (cart) => {
    lines.update(cart);
    const count = cart.lines.reduce((n, l) => n + l.quantity, 0);
    heading.textContent = count ? `Your cart (${count} item${count === 1 ? '' : 's'})` : 'Your cart';
  };
  render(getCart());
  subscribe((cart) => {
    clearErrors();
    render(cart);
    // The cart can be emptied elsewhere (an earlier checkout settled on load).
    if (note.control.value !== cart.note) { note.control.value = cart.note; updateCounter(); }
  });
  if (checkout) {
    setBusy(checkout.busy, checkout.busyReason);
    checkout.onBusyChange(setBusy);
  }
  return { el, heading };
}
