"""What a browser would post back from an admin page: every field of its form, as filled in."""

from bs4 import BeautifulSoup

# The buttons and widgets' own controls a browser does not post as typed values.
_NOT_POSTED = {"submit", "button", "reset", "image", "file"}


def form_values(html: str | bytes, form_id: str | None = None) -> dict[str, list[str]]:
    """The fields of the page's form (`form_id`, or its first form with a CSRF token)."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id) if form_id else None
    # The header's sign-out button is a form with a CSRF token too, and comes first.
    form = form or next(
        f
        for f in soup.find_all("form")
        if f.find("input", {"name": "csrfmiddlewaretoken"}) and f.get("id") != "logout-form"
    )
    values: dict[str, list[str]] = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if element.name == "input":
            kind = element.get("type", "text").lower()
            if kind in _NOT_POSTED or (
                kind in ("checkbox", "radio") and not element.has_attr("checked")
            ):
                continue
            values.setdefault(name, []).append(
                element.get("value", "on" if kind == "checkbox" else "")
            )
        elif element.name == "textarea":
            # An HTML parser drops the newline that opens a textarea; Django writes one.
            values.setdefault(name, []).append(element.get_text().removeprefix("\n"))
        else:
            chosen = [
                o.get("value", o.get_text())
                for o in element.find_all("option")
                if o.has_attr("selected")
            ]
            if not chosen and not element.has_attr("multiple"):
                first = element.find("option")
                chosen = [first.get("value", first.get_text())] if first else []
            values.setdefault(name, []).extend(chosen)
    return values
