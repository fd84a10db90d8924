// Maps API validation details (`loc: ["body", "items", 0, "quantity"]`) to the
// field keys used in the DOM (`items.0.quantity`) and to readable labels.

export function fieldKey(loc) {
  if (!Array.isArray(loc) || loc.length === 0) return 'body';
  const path = loc[0] === 'body' ? loc.slice(1) : loc;
  return path.length ? path.join('.') : 'body';
}

// Groups details by field key: Map<key, string[]>. Order is preserved.
export function groupDetails(details) {
  const byField = new Map();
  for (const detail of details) {
    const key = fieldKey(detail.loc);
    const message = typeof detail.msg === 'string' && detail.msg ? detail.msg : 'Invalid value';
    if (!byField.has(key)) byField.set(key, []);
    byField.get(key).push(message);
  }
  return byField;
}

// "items.2.quantity" -> { index: 2, rest: "quantity" }
export function itemIndex(key) {
  const match = key.match(/^items\.(\d+)(?:\.(.+))?$/);
  return match ? { index: Number(match[1]), rest: match[2] || '' } : null;
}

const FIELD_LABELS = { account: 'Account', note: 'Note', items: 'Cart', body: 'Order' };

export function fieldLabel(key, lineName) {
  const item = itemIndex(key);
  if (item) {
    const what = lineName ? `Line ${item.index + 1} (${lineName})` : `Line ${item.index + 1}`;
    return item.rest === 'quantity' ? `${what} quantity` : what;
  }
  return FIELD_LABELS[key] || key;
}
