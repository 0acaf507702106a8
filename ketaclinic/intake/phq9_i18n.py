"""The PHQ-9's wording as translation keys, so makemessages finds them; the wording itself lives in
``ketaclinic.clinical.instruments.phq9`` (a test keeps the two in step). Spanish: the official US-Spanish
PHQ-9 (Pfizer, public domain), in locale/es."""

from django.utils.translation import gettext_noop

PHQ9_STEM = gettext_noop("Over the last 2 weeks, how often have you been bothered by any of the following problems?")
PHQ9_WORDING = (
    gettext_noop("Little interest or pleasure in doing things"),
    gettext_noop("Feeling down, depressed, or hopeless"),
    gettext_noop("Trouble falling or staying asleep, or sleeping too much"),
    gettext_noop("Feeling tired or having little energy"),
    gettext_noop("Poor appetite or overeating"),
    gettext_noop("Feeling bad about yourself — or that you are a failure or have let yourself or your family down"),
    gettext_noop("Trouble concentrating on things, such as reading the newspaper or watching television"),
    gettext_noop(
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or "
        "restless that you have been moving around a lot more than usual"),
    gettext_noop("Thoughts that you would be better off dead or of hurting yourself in some way"),
)
SEVERITY = {
    "minimal": gettext_noop("minimal"), "mild": gettext_noop("mild"), "moderate": gettext_noop("moderate"),
    "moderately severe": gettext_noop("moderately severe"), "severe": gettext_noop("severe"),
}
