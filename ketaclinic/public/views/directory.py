from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ketaclinic.public import directory as dirs
from ketaclinic.public.access import get_listed_clinic
from ketaclinic.core.pagination import paginate
from ketaclinic.public.caching import public_page
from ketaclinic.public.forms import DirectorySearchForm

REVIEWS_PER_PAGE = 10


# A read-only search, POSTed so that the visitor's ZIP code stays out of URLs and server logs; exempt from CSRF
# because the form sits on a page cached for every visitor (see caching.py) and the POST changes nothing.
@csrf_exempt
@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def directory(request):
    form = DirectorySearchForm(request.POST or None)
    cards, searched = dirs.all_cards(), False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cards = dirs.search(cards, origin=data["origin"], route=data["route"], language=data["language"],
                            within_miles=data["within_miles"])
        searched = True
    context = {
        "form": form, "page": paginate(request, cards, dirs.CARDS_PER_PAGE), "found": len(cards), "searched": searched,
        "compare_max": dirs.COMPARE_MAX_CLINICS,
    }
    return render(request, "public/directory.html", context, status=422 if form.errors else 200)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][: dirs.COMPARE_MAX_CLINICS]


@public_page
@require_GET
def compare(request):
    cards = dirs.cards_for(_ids(request.GET.getlist("clinic")))
    rows = [{"card": card, "money": dirs.money_for(card.clinic)} for card in cards]
    chosen = {card.clinic.pk for card in cards}
    context = {"rows": rows, "enough": len(rows) >= 2, "compare_max": dirs.COMPARE_MAX_CLINICS,
               "choices": [(pk, name, pk in chosen) for pk, name in dirs.listed_names()]}
    return render(request, "public/compare.html", context)


@public_page
@require_GET
def clinic_detail(request, clinic_id: int):
    clinic = get_listed_clinic(clinic_id)
    card = dirs.cards_for([clinic.pk])[0]
    page = Paginator(dirs.published_reviews(clinic), REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    others = [(pk, name) for pk, name in dirs.listed_names() if pk != clinic.pk]
    context = {"card": card, "clinic": clinic, "money": dirs.money_for(clinic), "page": page, "others": others}
    return render(request, "public/clinic.html", context)
