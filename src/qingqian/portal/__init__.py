"""The public site (no sign-in): what the programme does, open statistics, published
notices and the public read API. It reads the domain apps through selectors that
return only what is published or aggregated; no domain app imports it."""
