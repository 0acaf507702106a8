from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ketaclinic.public import guide
from ketaclinic.public.caching import public_page
from ketaclinic.public.figures import OUTCOMES_MIN_COURSES


@public_page
def home(request):
    return render(request, "public/home.html", {"topics": guide.TOPICS})


@public_page
def topic(request, slug: str):
    found = guide.BY_SLUG.get(slug)
    if found is None:
        raise Http404("No such guide page.")
    previous, following = guide.neighbours(slug)
    context = {
        "topic": found, "topics": guide.TOPICS, "previous": previous, "following": following,
        "body_template": guide.template_for(slug, get_language()), "min_courses": OUTCOMES_MIN_COURSES,
    }
    return render(request, "public/guide/topic.html", context)


# The language switch sits on cached pages shared by every visitor, so it cannot carry a per-visitor CSRF token.
# It changes only the visitor's own language cookie (no data, no account), and Django's set_language still refuses
# a `next` address on another site.
@csrf_exempt
@require_POST
def language(request):
    return set_language(request)
