"""Public pressure on those who do not pay: annual disclosures of overdue SME
payments, findings of dishonesty and the defaulters list, accountability
referrals, typical cases, and the public register that shows them. Reads the
domain apps; no domain app reads it."""
