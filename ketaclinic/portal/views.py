from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts.views import SignInView
from ketaclinic.core.decorators import patient_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.sections import portal as portal_sections
from ketaclinic.patients import services
from ketaclinic.portal.forms import ContactForm


class PortalSignInView(SignInView):
    template_name = "portal/sign_in.html"


@patient_required
def home(request):
    patient = request.user.portal_account.patient
    services.record_chart_opened(patient, acting_user=request.user, via="own record in the portal")
    sections = portal_sections.render(request, patient, clinic_id=None)
    return render(request, "portal/home.html", {"patient": patient, "sections": sections})


@patient_required
@require_http_methods(["GET", "POST"])
def edit_contact(request):
    patient = request.user.portal_account.patient
    form = ContactForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_patient(patient, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your details are saved.")
            return redirect("portal:home")
    return render(request, "portal/contact_form.html", {"form": form}, status=422 if form.errors else 200)
