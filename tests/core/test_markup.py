from aiwatch.core.markup import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("A *claim* with a [source](https://example.org/a).")
    assert "<em>claim</em>" in html
    assert 'href="https://example.org/a"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_scripts_styles_and_handlers_are_removed():
    html = render_markdown('<script>x()</script><p style="color:red" onclick="x()">hi</p>')
    assert "<script" not in html
    assert "style=" not in html
    assert "onclick" not in html
    assert "hi" in html


def test_no_link_is_left_without_an_href():
    html = render_markdown(
        '[bad](javascript:alert(1)) and <a title="t">bare</a> and <a name="x">named</a>'
    )
    assert "<a" not in html
    assert "bad" in html and "bare" in html and "named" in html


def test_good_links_survive_next_to_unwrapped_ones():
    html = render_markdown("[good](https://example.org) [bad](javascript:x)")
    assert html.count("<a ") == 1
    assert 'href="https://example.org"' in html


def test_empty_text_renders_to_nothing():
    assert render_markdown("") == ""
