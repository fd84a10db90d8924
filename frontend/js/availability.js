// What the catalog says about a product in a cart or an order: its name as
// shoppers know it, and whether it can be ordered. Without a catalog (it
// failed to load) nothing is known, so nothing is refused here: the server
// decides.

export function productName(catalog, productId) {
  const product = catalog ? catalog.byId.get(productId) : undefined;
  return (product && product.name) || productId;
}

// null when the product can be ordered (or the catalog is unknown), else the
// same code the processor would give the line: PRODUCT_UNAVAILABLE or UNKNOWN_PRODUCT.
export function lineProblem(catalog, productId) {
  if (!catalog) return null;
  const product = catalog.byId.get(productId);
  if (!product) return 'UNKNOWN_PRODUCT';
  return product.available === false ? 'PRODUCT_UNAVAILABLE' : null;
}

export const PROBLEM_TEXT = {
  PRODUCT_UNAVAILABLE: 'is unavailable',
  UNKNOWN_PRODUCT: 'is no longer in our catalog',
};

export const PROBLEM_LABEL = {
  PRODUCT_UNAVAILABLE: 'unavailable',
  UNKNOWN_PRODUCT: 'not in our catalog',
};

// "A", "A and B", "A, B and C"
export function listNames(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
