"""Annual disclosures of overdue SME payments: periods, filing with prefill and
reasons, versions, the cross-check against the ledger, late and missing filers."""
