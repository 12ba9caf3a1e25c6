"""Per-language formats that differ from Django's: English written the British way (FORMAT_MODULE_PATH)."""
