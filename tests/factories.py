import datetime

import factory
from django.utils import timezone

from departments.models import Department
from peers.models import PeerListing
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
    class Meta:
        model = PeerListing

    peer = factory.SubFactory(UserFactory)
    shown_name = factory.LazyAttribute(lambda o: f"{o.peer.first_name} {o.peer.last_name[:1]}.")
    call_number = "+13125550100"
    text_number = "+13125550100"
    confirmed_at = factory.LazyFunction(timezone.now)


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Phone"
    confirmed = True


# --- Resources and enquiries (issue 7) -----------------------------------------------------------
from contact.models import Enquiry  # noqa: E402
from resources.models import Category, Resource  # noqa: E402


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A link resource; pass document="name.pdf" (and link="") for a PDF one."""

    class Meta:
        model = Resource

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "Worth reading after a hard shift."
    link = factory.Sequence(lambda n: f"https://wellbeing.example.org/article-{n}")


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    kind = Enquiry.Kind.CONTACT
    name = "Chief Dana Ruiz"
    email = factory.Sequence(lambda n: f"chief{n}@village.example.org")
    organisation = "Village of Example Police Department"
    message = "How much is membership for 40 officers?"
