"""Settings shared by the whole suite.

Property tests (Hypothesis) explore new examples on a developer's machine; in CI (``CI`` set, as
``.ci/run`` does) they run a fixed, derandomized set, so a red CI run is a regression of the code
under test, never a newly drawn example (those are found, and fixed, where they can be replayed).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
