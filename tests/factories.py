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


# --- Trainings ------------------------------------------------------------------------------------
from trainings.models import (  # noqa: E402
    Attendance,
    Choice,
    CourseType,
    Question,
    Registration,
    Session,
)


class CourseTypeFactory(factory.django.DjangoModelFactory):
    """The Teammate course the migration creates (3 days, $475)."""

    class Meta:
        model = CourseType
        django_get_or_create = ("slug",)

    slug = "teammate"
    name = "Teammate"
    days = 3
    price = 475


class SessionFactory(factory.django.DjangoModelFactory):
    """A published Teammate session a month from now."""

    class Meta:
        model = Session

    course = factory.SubFactory(CourseTypeFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(
        lambda o: o.starts_on + datetime.timedelta(days=o.course.days - 1)
    )
    venue = "Training room"
    address = "100 Main Street, Springfield, IL"
    capacity = 20
    status = Session.Status.PUBLISHED


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"trainee{n}@agency.test")
    phone = "+13125550142"
    department = "Springfield Police"
    status = Registration.Status.REGISTERED
    fee = factory.LazyAttribute(lambda o: o.session.course.price)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    registration = factory.SubFactory(RegistrationFactory)
    day = factory.LazyAttribute(lambda o: o.registration.session.starts_on)
    present = True


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with three choices, the first of them right."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseTypeFactory)
    text = factory.Sequence(lambda n: f"Question number {n}?")

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):
        if create:
            texts = extracted or ["The right answer", "A wrong answer", "Another wrong answer"]
            for index, text in enumerate(texts):
                Choice.objects.create(question=obj, text=text, is_correct=index == 0)
