// Loads the static product catalog shipped next to the page.

export async function loadCatalog(path = 'catalog/products.json') {
  const response = await fetch(path, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data = await response.json();
  const products = Array.isArray(data && data.products) ? data.products : [];
  const valid = products.filter(
    (p) => p && typeof p.productId === 'string' && Number.isInteger(p.priceCents),
  );
  return {
    currency: typeof data.currency === 'string' ? data.currency : 'EUR',
    products: valid,
    byId: new Map(valid.map((p) => [p.productId, p])),
  };
}
