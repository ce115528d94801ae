"""``{% dashboard_panel panel %}``: render a registered panel inside the page's context,
so it has the user, the request and the CSRF token like any included template."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from crisis_ops.core.dashboard import ShownPanel

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_panel(context: Context, panel: ShownPanel) -> SafeString:
    assert context.template is not None
    panel_template = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return SafeString(panel_template.render(context))
