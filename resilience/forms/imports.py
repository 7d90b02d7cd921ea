"""Measures from a spreadsheet: the file and the choice to leave the rejected rows out."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ..spreadsheets import MAX_BYTES


class MeasureImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        help_text=_(
            "At most 2 MB and 2,000 measures. The first row names the columns, as in the "
            "exported programme plan: titel, thema and fase are required."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    valid_only = forms.BooleanField(
        label=_("Import only the valid rows"),
        help_text=_(
            "Without this, nothing is imported when a row is rejected. With it, the valid "
            "rows are imported together and the rejected ones are left out."
        ),
        required=False,
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size is not None and upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload
