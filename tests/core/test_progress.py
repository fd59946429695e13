"""Long commands show progress: a bar in a terminal, a few plain lines in a log."""

import io

from aiwatch.core.progress import progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_bar_redrawn_in_place():
    stream = Terminal()

    assert list(progress(range(50), total=50, label="import", stream=stream)) == list(range(50))

    drawn = stream.getvalue()
    assert "import:" in drawn and "/50 [" in drawn  # tqdm's bar: done/total [elapsed]
    assert "\r" in drawn  # redrawn on one line, not a line an item


def test_a_log_gets_about_ten_plain_lines_however_long_the_work():
    stream = io.StringIO()

    assert sum(progress(range(1000), total=1000, label="import", stream=stream)) == sum(range(1000))

    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("import: 100/1000 (10%), ")
    assert lines[-1].startswith("import: 1000/1000 (100%), ")
    assert "\r" not in stream.getvalue()


def test_no_work_prints_nothing():
    stream = io.StringIO()

    assert list(progress([], total=0, label="import", stream=stream)) == []
    assert stream.getvalue() == ""
