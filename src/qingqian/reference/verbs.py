"""The audit verbs of the reference data: the working-day calendar (and the
deadlines it moves), the LPR, the regions, and their first seeding."""

CALENDAR_IMPORT = "calendar.import"
CALENDAR_SET_DAY = "calendar.set_day"
CALENDAR_DELETE_DAY = "calendar.delete_day"
DEADLINES_RECOMPUTE = "deadlines.recompute"
LPR_SET = "lpr.set"
LPR_DELETE = "lpr.delete"
REGIONS_IMPORT = "regions.import"
REFERENCE_SEED = "reference.seed"
