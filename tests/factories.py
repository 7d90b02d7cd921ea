import factory
from django.contrib.auth import get_user_model

from crisisroom.models import Organisation
from crisisroom.services import organisation_create

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Through organisation_create, as the admin does: with every app's shipped defaults."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Teststad {n}")
    kind = Organisation.Kind.MUNICIPALITY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return organisation_create(actor=None, **kwargs)
