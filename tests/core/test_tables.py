"""Every page's table scrolls in its own box on a phone (issue 12, small things): table
cells wrap only between words, so a wide table would otherwise widen the whole page."""

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF with their own style sheet, never shown on a screen.
PRINTED = "reports/exports/"


def test_every_table_on_a_page_is_inside_a_table_wrap():
    bare = []
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name.startswith(PRINTED):
            continue
        text = path.read_text()
        if text.count("<table") > text.count('class="table-wrap"'):
            bare.append(name)
    assert bare == []
