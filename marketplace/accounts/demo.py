"""The named demo accounts; the README gives their passwords."""

DEMO_PASSWORD = "partner-demo-2026"
DEMO_CONSUMER = "consumer@example.com"
DEMO_VENDOR = "vendor@example.com"
DEMO_MODERATOR = "moderator@example.com"
DEMO_ADMIN = "admin@example.com"
GENERATED_CONSUMER = "consumer{n}@demo.example"
GENERATED_VENDOR_OWNER = "owner{n}@demo.example"
