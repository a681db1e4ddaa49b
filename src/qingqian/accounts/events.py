"""The domain events accounts publishes (through `qingqian.core.events`)."""

# `orgs bootstrap` ran: the national authority exists (national_id) with the
# reporting units' authorities below it. Apps that need a starting table that
# names these authorities (complaints: the routing rules) fill it then.
ORGANISATIONS_BOOTSTRAPPED = "accounts.organisations_bootstrapped"
