import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import Clinic
from ketaclinic.api.fhir.export import export


class Command(BaseCommand):
    help = "Write every record as FHIR R4 NDJSON, one file per resource type (FHIR Bulk Data format)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Folder to write into (created if missing).")
        parser.add_argument("--clinic", type=int, help="Only this clinic's records (default: every clinic).")

    def handle(self, out, clinic, **options):
        clinics = Clinic.objects.all() if clinic is None else Clinic.objects.filter(pk=clinic)
        clinic_ids = list(clinics.values_list("pk", flat=True))
        if not clinic_ids:
            raise CommandError(f"No clinic with id {clinic}.")
        began = time.monotonic()
        manifest = export(Path(out), clinic_ids, progress=self._progress)
        for clinic_id in clinic_ids:
            audit.record(audit.Action.EXPORT, actor=None, object_type="fhir_bulk_export", clinic=clinic_id,
                         summary=f"FHIR bulk export to {Path(out).name}")
        if sys.stdout.isatty():
            self.stdout.write("")
        total = sum(item["count"] for item in manifest["output"])
        self.stdout.write(self.style.SUCCESS(f"Wrote {total:,} resources in {time.monotonic() - began:.1f} s to {out}"))
        for item in manifest["output"]:
            self.stdout.write(f"  {item['url']:<28} {item['count']:>9,}")

    def _progress(self, done: int, total: int, resources: int) -> None:
        line = f"patients {done:,}/{total:,} · resources {resources:,}"
        if self.stdout.isatty():
            self.stdout.write("\r" + line, ending="")
            self.stdout.flush()
        elif done == total or done % 2000 < 200:
            self.stdout.write(line)
