from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


def home(request):
    if not request.user.is_authenticated:
        return redirect("public:home")
    if request.user.is_patient:
        return redirect("portal:home")
    return redirect("patients:list")


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
