"""Domain errors: raised by domain logic and data access, mapped to responses or retries by handlers."""


class OrderSystemError(Exception):
    """Base class for errors this system raises on purpose."""


class DependencyUnavailableError(OrderSystemError):
    """An AWS dependency failed or throttled; the work can be retried later."""


class CatalogError(DependencyUnavailableError):
    """The product catalog could not be read or is malformed."""
