"""Progress and timing shown on the terminal while a directory file is imported."""

import time
from collections.abc import Callable


def format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} seconds"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


class TerminalProgress:
    """A progress callback for `import_rows`: rows done, rows a second and time left, at most once a second."""

    def __init__(self, total: int, echo: Callable[[str], None]):
        self.total = total
        self.echo = echo
        self.started = time.monotonic()
        self.printed_at = 0.0
        self.done = 0

    def __call__(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if done < self.total and now - self.printed_at < 1:
            return
        self.printed_at = now
        rate = done / max(now - self.started, 1e-3)
        left = (self.total - done) / rate if rate else 0
        self.echo(
            f"  {done:,} of {self.total:,} rows done, {rate:,.0f} rows a second, about {format_duration(left)} left"
        )
