from marketplace.kernel.errors import ConflictError, ForbiddenError, NotFoundError


class PortfolioError(ConflictError):
    """A portfolio rule refused the change; the message is for the consumer."""


class VendorNotAvailable(NotFoundError):
    pass


class AlreadyPartner(PortfolioError):
    pass


class NotAPartner(PortfolioError):
    code = "not_a_partner"


class OwnVendor(ForbiddenError):
    """A vendor's owner or the marketplace's staff may not hold that vendor as a partner: partner counts are
    consumers' verdicts, and nobody raises their own."""
