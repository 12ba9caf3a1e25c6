"""Domain signals of the portfolios layer."""

from django.dispatch import Signal

# Sent with vendor_id=<int> after a membership change has committed.
membership_changed = Signal()

# Sent by the My partners page (portfolios.views.PortfolioView) with consumer=<User> while it renders: each
# receiver (an app above, connected in its AppConfig.ready) returns a dict of template context it adds to the
# page, so the page shows what those apps keep for the consumer (the partner feed) without portfolios
# importing them.
portfolio_page_context = Signal()
