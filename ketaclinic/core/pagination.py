from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of ``queryset``. The page number comes from a POST when searching (no names in URLs) or the URL."""
    number = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
    return Paginator(queryset, per_page).get_page(number)
