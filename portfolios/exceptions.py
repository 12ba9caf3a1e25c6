class PortfolioError(Exception):
    """A portfolio rule refused the change; the message is for the consumer."""


class VendorNotAvailable(PortfolioError):
    pass


class AlreadyPartner(PortfolioError):
    pass


class NotAPartner(PortfolioError):
    pass
