"""The bulk import of ledger returns, in the order a return goes through it:

* `upload`: storing the file, and who may import for whom;
* `reader` with `csv_source`, `xlsx_source` and `zipguard`: reading a file
  safely (`refusal`: why a whole file is refused, and the limits);
* `rows` and `validate`: checking each row;
* `apply`: matching rows with the register and the ledger, and writing them;
* `run`: the run itself (check, then apply), its state changes
  (`transitions`) and how far it is (`progress`).

The entry points other apps call are here.
"""

from qingqian.ledger.imports.progress import read_progress
from qingqian.ledger.imports.run import ledger_import_run
from qingqian.ledger.imports.upload import ledger_import_upload

__all__ = ["ledger_import_run", "ledger_import_upload", "read_progress"]
