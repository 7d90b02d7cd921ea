"""Text helpers: checks on text that reaches a service without a form field, and names."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
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


def display_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """How a person is named on screen and on paper: full name, else the username."""
    if user is None:
        return ""
    full = user.get_full_name() if isinstance(user, User) else ""
    return full or user.get_username()
