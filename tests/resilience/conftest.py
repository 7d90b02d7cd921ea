import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (Dutch): a request with the English cookie in an
    earlier test leaves its language active in the thread, which would make a service's message
    depend on the order the tests run in."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
