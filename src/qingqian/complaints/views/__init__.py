"""The HTML pages of complaints: intake, detail (with the list), actions, routing."""
