"""Progress for long commands: a bar in a terminal, plain lines in a log or CI."""

import sys
import time
from collections.abc import Iterable, Iterator

PLAIN_LINES = 10  # a log gets about this many lines however long the work


def progress[T](items: Iterable[T], *, total: int, label: str, stream=None) -> Iterator[T]:
    """Yield `items`, showing how far through `total` the work is on `stream` (stderr).

    A terminal gets a tqdm bar; anything else (a pipe, a CI log) gets a line
    like "import: 300/1000 (30%), 12.0/s" every tenth of the way, and at the end.
    """
    # A management command's self.stderr ends every write with a newline: a bar needs the
    # stream under it.
    stream = getattr(stream, "_out", stream) or sys.stderr
    if total <= 0:
        yield from items
        return
    if _is_terminal(stream):
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=label, file=stream, unit="", leave=False)
        return
    step = max(1, total // PLAIN_LINES)
    started = time.monotonic()
    for done, item in enumerate(items, start=1):
        yield item
        if done % step == 0 or done == total:
            rate = done / max(time.monotonic() - started, 1e-9)
            stream.write(f"{label}: {done}/{total} ({100 * done // total}%), {rate:.1f}/s\n")
            stream.flush()


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
