"""Run a whole action again when the database asks for it (deadlock, serialization failure).

Two desks that lock the same rows in opposite order make PostgreSQL abort one
of them ("deadlock detected"); under REPEATABLE READ or SERIALIZABLE a
conflicting update is aborted with a serialization failure. Neither means
the action was wrong: the loser was rolled back completely and may simply
run again, *from the start* — re-reading what it decides on — because what
it read before is no longer true. `unit_of_work` turns those failures into
`TransientConflict`. A row whose version moved between this action's own read
and its write (`ConcurrentChange`, the READ COMMITTED form of the same race) is
retried too: the action reads again and decides on what is there now.
`run_with_retry` runs the action again a bounded number
of times with a short random pause, and lets the error through when the last
attempt fails too, so the technician still gets a message and nothing hangs.

Why not inside `unit_of_work`: a `with` block runs its body once; only the
caller holds the code to run again. So the retry wraps the service call
(`run_with_retry(database, lambda s: lifecycle.apply(s, actor, …))`). A stale
write against what the *user* saw (`StaleRecord`: the screen passed the version
it showed) is never retried: the user must see the new state first. A lost connection is not
retried either (the server may be down for minutes): it becomes
`DatabaseUnavailable` at once, even when it struck a read before the unit of
work, and the pool's pre-ping reconnects on the next action.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from .uow import ConcurrentChange, TransientConflict, is_transient, unavailable

T = TypeVar("T")
DEFAULT_ATTEMPTS = 5
BASE_DELAY_S = 0.02  # doubled per attempt, with jitter, so two losers do not collide again


def run_with_retry(target, fn: Callable[[Session], T], *, attempts: int = DEFAULT_ATTEMPTS,
                   base_delay: float = BASE_DELAY_S, sleep: Callable[[float], None] = time.sleep,
                   on_retry: Callable[[int, BaseException], None] | None = None) -> T:
    """Call `fn(session)`; on a transient conflict roll back and call it again (at most `attempts`).

    `target` is an `app.db.Database` (a fresh session per attempt) or an open `Session`
    (rolled back and reused: the unit of work already threw away everything it did).
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            if isinstance(target, Session):
                return fn(target)
            with target.session() as session:
                return fn(session)
        except Exception as err:
            lost = unavailable(err)
            if lost is not None:  # e.g. a read before the unit of work: the same clear message
                raise lost from err
            retryable = isinstance(err, TransientConflict | ConcurrentChange) or is_transient(err)
            if not retryable or attempt == attempts:
                raise
            if isinstance(target, Session):
                target.rollback()
            if on_retry is not None:
                on_retry(attempt, err)
            sleep(base_delay * (2 ** (attempt - 1)) * (0.5 + random.random()))
    raise AssertionError("unreachable")
