"""Typical cases (典型案例): drafted from finished complaints, masked, reviewed,
approved (four eyes) and published; public pages and an Atom feed."""
