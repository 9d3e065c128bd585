"""Fixed vocabularies of the professionals app: US states and the starting lists staff maintain.

Specialties, languages and insurance carriers are rows (staff add more in the Django admin); the
lists here seed them once, in a data migration.
"""

US_STATES: list[tuple[str, str]] = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("PR", "Puerto Rico"), ("RI", "Rhode Island"),
    ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"),
    ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip

STATE_NAMES = dict(US_STATES)

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
