"""Reviews (0008_service_rating_reviews) and shipping, tracking and saved addresses
(0008_shipping_tracking_saved_addresses) were built side by side; neither touches the other's tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0008_service_rating_reviews"),
        ("shop", "0008_shipping_tracking_saved_addresses"),
    ]

    operations = []
