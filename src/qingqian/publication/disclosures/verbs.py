"""The audit verbs of the annual disclosures."""

PERIOD_SAVE = "publication.disclosure_period_save"
PERIODS_SEED = "publication.disclosure_periods_seed"
FILE = "publication.disclosure_file"
CORRECT = "publication.disclosure_correct"
FLAG = "publication.disclosure_flag"
FLAG_CLOSE = "publication.disclosure_flag_close"
REMIND = "publication.disclosure_remind"
