import datetime
import secrets

import factory
from django.utils import timezone

from departments.models import Department
from peers.models import ExperienceArea, Language, PeerListing
from trainings.models import Certification
from wnwa.accounts.models import FamilyAccount, TOTPDevice, User

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


class FamilyAccountFactory(factory.django.DjangoModelFactory):
    """A family member's account, invited by an officer (pass `invited_by`), accepted."""

    class Meta:
        model = FamilyAccount

    user = factory.SubFactory(
        StaffFactory, email=factory.Sequence(lambda n: f"family{n}@home.test")
    )
    invited_by = factory.SubFactory(UserFactory)
    department = factory.LazyAttribute(lambda family: family.invited_by.department)
    relation = FamilyAccount.Relation.PARTNER


def family_member(officer, **kwargs) -> User:
    """The accepted family account of `officer`: its user."""
    return FamilyAccountFactory(invited_by=officer, **kwargs).user


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

    @factory.post_generation
    def kept_by_the_database(obj, create, extracted, **kwargs):
        """`listable` and `department` as the database's triggers have just set them."""
        if create:
            obj.refresh_from_db(fields=["listable", "department"])


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
    """A link resource; given a document (a stored name or a file), a PDF one with no link."""

    class Meta:
        model = Resource

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "Worth reading after a hard shift."
    document = ""
    link = factory.LazyAttributeSequence(
        lambda o, n: "" if o.document else f"https://wellbeing.example.org/article-{n}"
    )


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


# --- The rest of what the admin shows (tests/wnwa/test_admin_pages.py makes one of each) ----------
from departments.models import RosterPreview  # noqa: E402
from professionals.models import (  # noqa: E402
    Document,
    InsuranceCarrier,
    Specialty,
    TelehealthState,
)
from professionals.models import Language as ProfessionalLanguage  # noqa: E402
from trainings.models import ExamAttempt, Interest  # noqa: E402


class RosterPreviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterPreview

    department = factory.SubFactory(DepartmentFactory)
    file_name = "roster.csv"
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    rows_read = 12
    added = 2


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"specialty-{n}")
    name = factory.Sequence(lambda n: f"Specialty {n}")


class ProfessionalLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfessionalLanguage
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"language-{n}")
    name = factory.Sequence(lambda n: f"Language {n}")


class InsuranceCarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuranceCarrier
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"carrier-{n}")
    name = factory.Sequence(lambda n: f"Carrier {n}")


class TelehealthStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TelehealthState

    professional = factory.SubFactory(ProfessionalFactory)
    state = "IL"


class DocumentFactory(factory.django.DjangoModelFactory):
    """An applicant's licence, stored as a small PDF under PRIVATE_MEDIA_ROOT."""

    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    kind = Document.Kind.LICENCE
    file = factory.django.FileField(filename="licence.pdf", data=b"%PDF-1.7\nlicence\n")
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)
    display_name = "my licence.pdf"


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, choices=["Only the first is right"])
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False


class ExamAttemptFactory(factory.django.DjangoModelFactory):
    """A submitted, passed attempt at a one-question exam."""

    class Meta:
        model = ExamAttempt

    registration = factory.SubFactory(RegistrationFactory)
    number = 1
    layout = factory.LazyFunction(list)
    answers = factory.LazyFunction(dict)
    submitted_at = factory.LazyFunction(timezone.now)
    correct = 1
    total = 1
    passed = True


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    email = factory.Sequence(lambda n: f"next-session{n}@agency.test")


def listed_peer(department=None, *, certified=True, **fields) -> PeerListing:
    """A peer the directory lists: an officer (of `department`, or a new one), certified unless
    told otherwise, with a complete listing of `fields`."""
    peer = UserFactory(department=department or DepartmentFactory())
    if certified:
        CertificationFactory(person=peer)
    return PeerListingFactory(peer=peer, **fields)


class PasskeyFactory(factory.django.DjangoModelFactory):
    """A passkey as stored: its public key need not verify for pages that only list or name it
    (tests/passkeys/authenticator.py makes real ones)."""

    class Meta:
        model = "passkeys.Passkey"

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Passkey {n + 1}")
    credential_id = factory.LazyFunction(lambda: secrets.token_bytes(32))
    public_key = b"\xa5"
    transports = factory.LazyFunction(lambda: ["internal"])
