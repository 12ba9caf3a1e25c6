"""The kernel: what every layer shares, and the only project code every app may import.

Membership is this package: every module in it is shared, and none of them imports an app
(tests/foundation/test_layers.py reads the package, not a list). What each module holds:

| module | what |
|---|---|
| errors | domain errors, the page mixin and the API exception handler that turn them into answers |
| privacy | the one release rule for figures about consumers (suppression, rounding) |
| money | the one way money is written (`{{ amount|money }}`, `format_money`) |
| pagination | bounded page numbers, keyset pages, StackedQuerySet |
| sql | helpers for the set-based statistics SQL |
| enqueue | enqueue a Celery task after commit, surviving a broker outage |
| caching | all caching: scopes and their versions, kept values, whole anonymous pages, cards, the Redis backend |
| limits | input bounds every form and serializer shares (lengths, prices, ids) and the bounded choice fields |
| parsers | bounded request parsers for the API |
| redirects | safe redirects back to where a form came from |
| converters | the `<id:...>` path converter |
| client_address | the visitor's address behind the trusted proxies (DJANGO_TRUSTED_PROXIES) |
| throttling | the API throttles, counting visitors through client_address |
| db_router | read replicas: the router and its read-your-writes middleware |
| checks | system checks of the project's configuration (production names its database) |
| request_guard | middleware refusing NUL bytes in requests |
"""
