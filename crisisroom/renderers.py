"""The project's form renderer: Django's widget templates, our own markup for a field.

``{{ field.as_field_group }}`` renders ``templates/forms/field.html``: label, widget, help text
and errors in the markup and with the ids that the stylesheet and the aria attributes use.
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Templates come from the TEMPLATES setting (so ``templates/`` and ``django.forms``)."""

    field_template_name = "forms/field.html"
