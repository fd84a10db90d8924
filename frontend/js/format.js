// Money arrives in integer minor units; Intl knows how many minor digits each
// currency has, so we never hard-code "/ 100".

const moneyFormatters = new Map();

function moneyFormatter(currency) {
  let formatter = moneyFormatters.get(currency);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      // Unknown currency code from the server: fall back to a plain number.
      formatter = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 });
    }
    moneyFormatters.set(currency, formatter);
  }
  return formatter;
}

export function formatMoney(minorUnits, currency = 'EUR') {
  if (!Number.isInteger(minorUnits)) return '—';
  const formatter = moneyFormatter(currency);
  const digits = formatter.resolvedOptions().maximumFractionDigits;
  return formatter.format(minorUnits / 10 ** digits);
}

const dateFormatter = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

export function formatDateTime(iso) {
  if (!iso) return ''; // new Date(null) would be 1970
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateFormatter.format(date);
}
