"""Self-checking exercises: ``check_<name>(your_function_or_value)`` prints ✓ or a hint, never a traceback.

Each lesson's checks live in their own module (``lesson02``, ...); all are importable from here.
"""
from ._runner import Case, NotImplementedYet, run_checks
from .lesson00 import *  # noqa: F401,F403
from .lesson00 import __all__ as _l00
from .lesson01 import *  # noqa: F401,F403
from .lesson01 import __all__ as _l01
from .lesson02 import *  # noqa: F401,F403
from .lesson02 import __all__ as _l02
from .lesson03 import *  # noqa: F401,F403
from .lesson03 import __all__ as _l03
from .lesson04 import *  # noqa: F401,F403
from .lesson04 import __all__ as _l04
from .lesson05 import *  # noqa: F401,F403
from .lesson05 import __all__ as _l05
from .lesson06 import *  # noqa: F401,F403
from .lesson06 import __all__ as _l06
from .lesson07 import *  # noqa: F401,F403
from .lesson07 import __all__ as _l07
from .lesson08 import *  # noqa: F401,F403
from .lesson08 import __all__ as _l08

__all__ = ["Case", "NotImplementedYet", "run_checks", *_l00, *_l01, *_l02, *_l03, *_l04, *_l05, *_l06, *_l07, *_l08]
