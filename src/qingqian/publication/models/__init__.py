"""The publication app's models, one module per aggregate; Django finds them here."""
