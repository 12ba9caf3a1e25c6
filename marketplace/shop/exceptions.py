"""Refusals of the shop floor; each message is written for the consumer."""

from __future__ import annotations

from marketplace.kernel.errors import ConflictError


class CheckoutRefused(ConflictError):
    """Checkout found problems (stock, prices, availability); nothing was bought."""

    code = "checkout_refused"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems))


class CartEmpty(ConflictError):
    code = "cart_empty"
