"""The services app's models, one module per part; Django finds them here.

Each module lists its models in `__all__`, so this file never changes when a
part adds one.
"""

from qingqian.services.models.confirmations import *  # noqa: F403
from qingqian.services.models.legalaid import *  # noqa: F403
from qingqian.services.models.letters import *  # noqa: F403
from qingqian.services.models.library import *  # noqa: F403
from qingqian.services.models.training import *  # noqa: F403
