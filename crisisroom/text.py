"""Checks on text that reaches a service without a Django form field in between."""

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

_NO_NUL = ProhibitNullCharactersValidator()


def refuse_nul(*texts: str, field: str | None = None) -> None:
    """A NUL character is never typed and PostgreSQL cannot store it: a clear error instead."""
    for text in texts:
        if isinstance(text, str) and "\x00" in text:
            try:
                _NO_NUL(text)
            except ValidationError as error:
                raise (ValidationError({field: error.messages}) if field else error) from None
