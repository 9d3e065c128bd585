import datetime

import factory
from django.utils import timezone

from departments.models import Department
from peers.models import ExperienceArea, Language, PeerListing
from trainings.models import Certification
from wnwa.accounts.models import TOTPDevice, User

PASSWORD = "correct-horse-battery-42"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n} Police")
    slug = factory.Sequence(lambda n: f"department-{n}")
    state = "IL"
    county = "Cook"
    city = factory.Sequence(lambda n: f"Town {n}")
    sworn_strength = 50
    membership_status = Department.Status.ACTIVE
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    department = None


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    person = factory.SubFactory(UserFactory)
    certified_on = factory.LazyFunction(timezone.localdate)
    source = Certification.Source.LEGACY
    status = Certification.Status.VERIFIED


class PeerListingFactory(factory.django.DjangoModelFactory):
    """A complete listing: one language (English) and one experience area (trauma) unless given."""

    class Meta:
        model = PeerListing
        skip_postgeneration_save = True

    peer = factory.SubFactory(UserFactory)
    department = factory.LazyAttribute(lambda o: o.peer.department)
    peer_active = factory.LazyAttribute(lambda o: o.peer.is_active)
    shown_name = factory.LazyAttribute(lambda o: f"{o.peer.first_name} {o.peer.last_name[:1]}.")
    call_number = "+13125550100"
    text_number = "+13125550100"
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            default = [LanguageFactory(name="English")]
            obj.languages.set(default if extracted is None else extracted)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create:
            default = [ExperienceAreaFactory(slug="trauma", name="Trauma")]
            obj.areas.set(default if extracted is None else extracted)


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Phone"
    confirmed = True


class ExperienceAreaFactory(factory.django.DjangoModelFactory):
    """Looked up by slug first: the data migration already holds PRODUCT.md's list."""

    class Meta:
        model = ExperienceArea
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Language {n}")
