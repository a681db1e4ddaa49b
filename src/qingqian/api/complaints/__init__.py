"""The complaints resource of the API (serializers and views)."""
