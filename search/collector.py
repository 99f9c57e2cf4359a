"""Python's cycle collector, set for processes that allocate much at start and free little.

The CLI's verbs and the app import Whoosh (and Textual), read the corpus's file list and
open an index: a few hundred thousand objects that live as long as the process.  At the
default threshold (a young-generation pass every 700 net allocations) the collector walked
them about 200 times while the app started on Reuters, 80-110 ms of a 0.9 s start, and
about 50 ms of a 0.75 s ``search --update``.  Freezing what exists and collecting young
objects less often cut that to about 30 ms.  Cyclic garbage is still collected, in fewer,
larger passes.

The setting is process-wide, so only entry points call it: the CLI's ``main``, the app's
constructor (which tests and the bench call directly) and the indexer's worker processes,
whose segment writers hold millions of objects (a Reuters rebuild's CPU was the same as
with the collector off while a segment fills, which the workers did before).
"""

from __future__ import annotations

import gc

__all__ = ["quieten_collector"]

GEN0_THRESHOLD = 50_000


def quieten_collector() -> None:
    """Freeze the objects alive now out of collection and raise the young threshold.

    Once per process: a second call (the CLI's, then the app's) does nothing.
    """
    if gc.get_threshold()[0] < GEN0_THRESHOLD:
        gc.freeze()
        gc.set_threshold(GEN0_THRESHOLD, *gc.get_threshold()[1:])
