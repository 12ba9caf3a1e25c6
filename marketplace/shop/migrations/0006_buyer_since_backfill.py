"""Mark buyer_since (marketplace/kernel/privacy.py, "who counts") on the profiles of consumers whose orders two different
vendors have already delivered; from now on the shop's fulfilment marks them as it delivers."""

from django.db import migrations

FORWARD = """
UPDATE accounts_consumerprofile SET buyer_since = CURRENT_TIMESTAMP
WHERE buyer_since IS NULL AND user_id IN (
    SELECT consumer_id FROM shop_order
    WHERE status = 'delivered' AND consumer_id IS NOT NULL
    GROUP BY consumer_id HAVING COUNT(DISTINCT vendor_id) >= 2
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0005_planner_costs"),
        ("accounts", "0007_consumerprofile_buyer_since"),
    ]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=migrations.RunSQL.noop)]
