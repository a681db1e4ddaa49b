"""Findings of dishonesty: the procedure (services), its table of moves
(transitions), its reads (selectors)."""
