"""Input and output serializers of the vendor workspace API."""
