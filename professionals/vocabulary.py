"""Fixed vocabularies of the professionals app: the starting lists staff maintain.

Specialties, languages and insurance carriers are rows (staff add more in the Django admin); the
lists here seed them once, in a data migration.
"""

SPECIALTIES: list[tuple[str, str]] = [
    ("trauma-ptsd", "Trauma and PTSD"),
    ("critical-incidents", "Critical incidents and officer-involved shootings"),
    ("grief", "Grief and loss"),
    ("depression", "Depression"),
    ("anxiety", "Anxiety"),
    ("substance-use", "Substance use and recovery"),
    ("couples-family", "Couples and family"),
    ("suicide-prevention", "Suicide risk and prevention"),
    ("sleep", "Sleep and shift work"),
    ("anger", "Anger and stress"),
    ("emdr", "EMDR"),
    ("first-responder-families", "First-responder families and children"),
]

LANGUAGES: list[tuple[str, str]] = [
    ("english", "English"),
    ("spanish", "Spanish"),
    ("polish", "Polish"),
    ("tagalog", "Tagalog"),
    ("chinese", "Chinese"),
    ("arabic", "Arabic"),
    ("vietnamese", "Vietnamese"),
    ("korean", "Korean"),
    ("russian", "Russian"),
    ("asl", "American Sign Language"),
]

INSURANCE_CARRIERS: list[tuple[str, str]] = [
    ("bcbs", "Blue Cross Blue Shield"),
    ("aetna", "Aetna"),
    ("cigna", "Cigna"),
    ("unitedhealthcare", "UnitedHealthcare"),
    ("humana", "Humana"),
    ("medicare", "Medicare"),
    ("medicaid", "Medicaid"),
    ("tricare", "TRICARE"),
    ("workers-comp", "Workers' compensation"),
]
