"""Helpers shared by the ledger's pages: the clinic check and the one form flow every action page uses."""

from typing import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.forms import add_service_errors


def clinic_for(request, perm: str = Perm.LEDGER_VIEW):
    """The active clinic, after checking the user may ``perm`` there (404 elsewhere, 403 for the wrong role)."""
    access.require(request.user, perm, request.clinic.pk if request.clinic else None)
    return request.clinic


def can_move(request, clinic_id: int) -> bool:
    return access.can(request.user, Perm.LEDGER_MOVE, clinic_id)


def form_flow(request, form, act: Callable, template: str, context: dict, success: str = "Saved."):
    """Validate ``form``; on POST call ``act(cleaned_data)`` (which calls one service and returns a redirect).
    A service's ValidationError lands next to the field it names, and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            response = act(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return response
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)


def witness_from(request, clinic, data: dict):
    """The witness's signature from the same screen (their own user name and password), checked before the movement."""
    from ketaclinic.ledger import services

    return services.sign(request, clinic=clinic, acting_user=request.user, username=data.get("witness_username", ""),
                         password=data.get("witness_password", ""))
