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


class BackupCodeDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.BackupCodeDevice"

    user = factory.SubFactory(StaffFactory)
    name = "Backup codes"


class ExperienceAreaFactory(factory.django.DjangoModelFactory):
    """Looked up by slug first: the data migration already holds docs/product.md's list."""

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


# --- professionals --------------------------------------------------------------------------------
from professionals.models import (  # noqa: E402
    Application,
    Assessment,
    Licence,
    Professional,
)


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    credentials = "LCSW"
    email = factory.Sequence(lambda n: f"clinician{n}@practice.test")
    phone = factory.Sequence(lambda n: f"+1608555{n % 10000:04d}")
    practice_name = factory.LazyAttribute(lambda o: f"{o.last_name} Counseling")
    city = "Madison"
    county = "Dane"
    state = "WI"
    sees_within_24h = True
    police_experience = "Ten years with first responders."
    association = "NASW"
    follows_code_of_ethics = True
    is_listed = True
    availability_confirmed_on = factory.LazyFunction(timezone.localdate)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    professional = factory.SubFactory(ProfessionalFactory)
    kind = "Licensed Clinical Social Worker"
    number = factory.Sequence(lambda n: f"L-{n:05d}")
    state = factory.LazyAttribute(lambda o: o.professional.state)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    professional = factory.SubFactory(ProfessionalFactory, is_listed=False)
    reference = factory.Sequence(lambda n: f"REF{n:05d}")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    application = factory.SubFactory(ApplicationFactory)
    vetter = factory.SubFactory(StaffFactory, is_vetter=True)
    round = factory.LazyAttribute(lambda o: o.application.round)
    method = Assessment.Method.VIDEO
    assessed_on = factory.LazyFunction(timezone.localdate)
    notes = "Met by video; licence checked with the state board."
    recommendation = Assessment.Recommendation.APPROVE


# --- Resources and enquiries -----------------------------------------------------------------------
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
