from marketplace.errors import ConflictError, NotFoundError


class PortfolioError(ConflictError):
    """A portfolio rule refused the change; the message is for the consumer."""


class VendorNotAvailable(NotFoundError):
    pass


class AlreadyPartner(PortfolioError):
    pass


class NotAPartner(PortfolioError):
    code = "not_a_partner"
