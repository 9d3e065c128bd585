"""The confidential self-checks: questionnaires scored in the browser (static/js/selfcheck.js).

The server only renders the questions; answers and scores never come back to it. Both
instruments are free for anyone to use: the PHQ-9 (Kroenke, Spitzer and Williams; no permission
required to reproduce) and the PCL-5 (US Department of Veterans Affairs, National Center for
PTSD; public domain). Item wording is the instruments' own and must not be edited.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str
    advice: str


@dataclass(frozen=True)
class SelfCheck:
    slug: str
    name: str
    title: str
    about: str
    instructions: str
    prompt: str
    options: tuple[tuple[int, str], ...]
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    source: str
    # An answer above zero on this item (1-based) shows the urgent notice, whatever the total.
    urgent_item: int | None = None

    @property
    def max_score(self) -> int:
        return len(self.items) * max(value for value, _ in self.options)

    @property
    def numbered_items(self) -> list[tuple[int, str]]:
        return list(enumerate(self.items, start=1))


PHQ9 = SelfCheck(
    slug="phq-9",
    name="PHQ-9",
    title="Depression self-check (PHQ-9)",
    about="Nine questions about low mood over the last two weeks. It takes about two minutes.",
    instructions="Choose one answer for each question.",
    prompt="Over the last 2 weeks, how often have you been bothered by any of the following "
    "problems?",
    options=(
        (0, "Not at all"),
        (1, "Several days"),
        (2, "More than half the days"),
        (3, "Nearly every day"),
    ),
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    bands=(
        Band(
            0,
            4,
            "Minimal",
            "Your answers show few signs of depression right now. If something is still "
            "weighing on you, a peer will listen all the same.",
        ),
        Band(
            5,
            9,
            "Mild",
            "Your answers show some signs of low mood. Talking it over with a peer from "
            "another department is a good next step, and worth checking again in a few weeks.",
        ),
        Band(
            10,
            14,
            "Moderate",
            "Your answers point to moderate depression. Please talk to someone: a peer "
            "supporter can listen tonight, and one of the network's vetted professionals can "
            "help you work through it.",
        ),
        Band(
            15,
            19,
            "Moderately severe",
            "Your answers point to moderately severe depression. This is treatable, and you "
            "should not carry it alone: please reach one of the network's professionals this "
            "week, and call a peer in the meantime.",
        ),
        Band(
            20,
            27,
            "Severe",
            "Your answers point to severe depression. Please reach a professional now, today if "
            "you can. A peer or a crisis line will answer right away while you do.",
        ),
    ),
    source="Patient Health Questionnaire (PHQ-9), developed by Drs. Robert L. Spitzer, "
    "Janet B.W. Williams and Kurt Kroenke. Free to use; no permission required.",
    urgent_item=9,
)

PCL5 = SelfCheck(
    slug="pcl-5",
    name="PCL-5",
    title="Post-traumatic stress self-check (PCL-5)",
    about="Twenty questions about how a very stressful experience has affected you in the past "
    "month. It takes about five minutes.",
    instructions="Think of the most stressful experience you have had on or off the job. "
    "Choose how much each problem has bothered you because of it.",
    prompt="In the past month, how much were you bothered by:",
    options=(
        (0, "Not at all"),
        (1, "A little bit"),
        (2, "Moderately"),
        (3, "Quite a bit"),
        (4, "Extremely"),
    ),
    items=(
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening "
        "again (as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful "
        "experience (for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, "
        "conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for "
        "example, having thoughts such as: I am bad, there is something seriously wrong with "
        "me, no one can be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or "
        "have loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        'Being "superalert" or watchful or on guard?',
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ),
    bands=(
        Band(
            0,
            30,
            "Below the screening cut-off",
            "Your answers are below the score (31 to 33) at which clinicians look further for "
            "PTSD. Stress after a hard call is still real: if these problems bother you, a "
            "peer who has been there will listen.",
        ),
        Band(
            31,
            80,
            "At or above the screening cut-off",
            "Your answers are at or above the score at which clinicians look further for PTSD. "
            "That is not a diagnosis, and PTSD responds well to treatment. Please talk to one "
            "of the network's vetted professionals, and call a peer in the meantime.",
        ),
    ),
    source="PTSD Checklist for DSM-5 (PCL-5), Weathers, Litz, Keane, Palmieri, Marx and "
    "Schnurr (2013), National Center for PTSD. Public domain.",
)

SELF_CHECKS: dict[str, SelfCheck] = {check.slug: check for check in (PHQ9, PCL5)}
