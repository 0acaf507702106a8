"""Public pages (guide, directory), the portal's review page and the staff moderation pages."""

from ketaclinic.public.views.directory import clinic_detail, compare, directory  # noqa: F401
from ketaclinic.public.views.guide import home, language, topic  # noqa: F401
from ketaclinic.public.views.reviews import withdraw_review, write_review  # noqa: F401
from ketaclinic.public.views.staff import listing_edit, moderate_review, moderation_queue  # noqa: F401
