"""Every write of the asks: the consumer's (asks.py, accept.py), the vendor's (offers.py) and the clock's
(clock.py); who may answer is eligibility.py."""

from .accept import ask_order_key, offer_accept
from .asks import Audience, ask_audience, ask_cancel, ask_draft_create, ask_mute_set, ask_publish, offers_lapse
from .award import ask_award_unpaid
from .clock import ask_recipients_recheck, asks_expire_due, offers_lapse_due
from .eligibility import reachable_vendor_ids, recipients_eligible, vendor_may_answer
from .offers import (
    offer_make,
    offer_not_interested,
    offer_renewable,
    offer_report,
    offer_withdraw,
    vendor_ask_settings_set,
)

__all__ = [
    "Audience",
    "ask_audience",
    "ask_award_unpaid",
    "ask_cancel",
    "ask_draft_create",
    "ask_mute_set",
    "ask_order_key",
    "ask_publish",
    "ask_recipients_recheck",
    "asks_expire_due",
    "offer_accept",
    "offer_make",
    "offer_renewable",
    "offer_not_interested",
    "offer_report",
    "offer_withdraw",
    "offers_lapse",
    "offers_lapse_due",
    "reachable_vendor_ids",
    "vendor_ask_settings_set",
    "recipients_eligible",
    "vendor_may_answer",
]
