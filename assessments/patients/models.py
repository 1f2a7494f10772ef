import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.accounts.models import Supervision
from assessments.accounts.roles import Role, has_role
from assessments.core.models import PatientRecord, TimeStampedModel

from .equivalence import DEFAULT_TABLE, REFUSE_ABOVE_MG, TABLES, diazepam_equivalent, equivalence_text

# No 0/O or 1/I: record numbers are read aloud and typed from paper.
_RECORD_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_record_number() -> str:
    return "ZA-" + "".join(secrets.choice(_RECORD_ALPHABET) for _ in range(6))


def restrict_to_patients(queryset, user, path: str = ""):
    """The one access rule for patient data, applied to any queryset whose rows reach
    a patient through `path`: deny unless a care relation exists.

    A clinician sees their own patients, a supervisor those of the clinicians they
    supervise, a superuser all; anyone else nothing. Written as a join plus one small
    subquery (no DISTINCT), so it stays cheap inside large aggregate queries.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    supervised = Supervision.objects.filter(supervisor=user).values("clinician")
    return queryset.filter(
        Q(**{f"{path}primary_clinician": user}) | Q(**{f"{path}primary_clinician__in": supervised})
    )


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user):
        return restrict_to_patients(self, user)

    def everyday(self):
        """Patients for lists and bulk exports: restricted ones are left out."""
        return self.filter(processing_restricted=False)


class Patient(PatientRecord, TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_number = models.CharField(
        _("record number"), max_length=16, unique=True, default=new_record_number, editable=False
    )
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    primary_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patients",
        verbose_name=_("primary clinician"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # GDPR Art. 18: kept (Polish law keeps records 20 years) but out of everyday
    # lists and exports until the restriction is lifted.
    processing_restricted = models.BooleanField(_("processing restricted"), default=False)

    objects = PatientQuerySet.as_manager()

    class Meta:
        indexes = [
            # The clinician's patient list: their active patients, newest first.
            models.Index(fields=["primary_clinician", "status", "-created_at"], name="patients_list_idx"),
        ]

    def __str__(self):
        return self.record_number

    def changeable_by(self, user) -> bool:
        """Supervisors may read a patient's records; only the patient's own clinician
        writes them (medication, sessions, interviews, archiving)."""
        return self.primary_clinician_id == user.pk

    def care_team_includes(self, user) -> bool:
        """The patient's clinician or one of that clinician's supervisors: who may export
        everything held about the patient or restrict its processing."""
        if self.changeable_by(user):
            return True
        return (
            has_role(user, Role.SUPERVISOR) and Patient.objects.visible_to(user).filter(pk=self.pk).exists()
        )


class MedicationEntryQuerySet(models.QuerySet):
    def current(self):
        """Entries in force: a corrected entry gives way to its correction."""
        return self.filter(superseded_by__isnull=True)


class MedicationEntry(models.Model):
    """One dated fact of the medication history: a dose taken, reduced or stopped."""

    class Drug(models.TextChoices):
        # Every drug of the equivalence table (spec 6.3/6.5: Ashton's table, z-drugs included).
        ALPRAZOLAM = "alprazolam", _("Alprazolam")
        BROMAZEPAM = "bromazepam", _("Bromazepam")
        CHLORDIAZEPOXIDE = "chlordiazepoxide", _("Chlordiazepoxide")
        CLOBAZAM = "clobazam", _("Clobazam")
        CLONAZEPAM = "clonazepam", _("Clonazepam")
        CLORAZEPATE = "clorazepate", _("Clorazepate")
        DIAZEPAM = "diazepam", _("Diazepam")
        ESTAZOLAM = "estazolam", _("Estazolam")
        FLUNITRAZEPAM = "flunitrazepam", _("Flunitrazepam")
        FLURAZEPAM = "flurazepam", _("Flurazepam")
        HALAZEPAM = "halazepam", _("Halazepam")
        KETAZOLAM = "ketazolam", _("Ketazolam")
        LOPRAZOLAM = "loprazolam", _("Loprazolam")
        LORAZEPAM = "lorazepam", _("Lorazepam")
        LORMETAZEPAM = "lormetazepam", _("Lormetazepam")
        MEDAZEPAM = "medazepam", _("Medazepam")
        NITRAZEPAM = "nitrazepam", _("Nitrazepam")
        OXAZEPAM = "oxazepam", _("Oxazepam")
        PRAZEPAM = "prazepam", _("Prazepam")
        QUAZEPAM = "quazepam", _("Quazepam")
        TEMAZEPAM = "temazepam", _("Temazepam")
        TRIAZOLAM = "triazolam", _("Triazolam")
        ZALEPLON = "zaleplon", _("Zaleplon")
        ZOLPIDEM = "zolpidem", _("Zolpidem")
        ZOPICLONE = "zopiclone", _("Zopiclone")
        ESZOPICLONE = "eszopiclone", _("Eszopiclone")

    class Kind(models.TextChoices):
        DOSE = "dose", _("Current dose")
        REDUCTION = "reduction", _("Dose reduction")
        STOP = "stop", _("Stopped")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medication_entries")
    drug = models.CharField(_("drug"), max_length=32, choices=Drug.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOSE)
    daily_dose_mg = models.DecimalField(_("daily dose (mg)"), max_digits=7, decimal_places=3)
    date = models.DateField(_("date"))
    equivalence_table = models.CharField(max_length=32, default=DEFAULT_TABLE, editable=False)
    diazepam_equivalent_mg = models.DecimalField(max_digits=8, decimal_places=2, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A correction is a new entry pointing at the one it replaces; the original row is
    # never changed, so what was recorded (and signed against) stays readable.
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)

    objects = MedicationEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="patients_medication_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(daily_dose_mg__gte=0), name="patients_medication_dose_nonnegative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="stop") | Q(daily_dose_mg=0), name="patients_medication_stop_is_zero"
            ),
            models.CheckConstraint(
                condition=Q(equivalence_table__in=list(TABLES)), name="patients_medication_known_table"
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.drug} {self.daily_dose_mg} mg"

    def clean(self):
        # Spec 6.5: no path stores an implausible dose (the form also asks to confirm >100).
        if self.diazepam_equivalent_mg is not None and self.diazepam_equivalent_mg > REFUSE_ABOVE_MG:
            raise ValidationError(
                {"daily_dose_mg": _("Above 1,000 mg diazepam equivalent a day: not a plausible dose.")}
            )

    @property
    def equivalence_shown(self) -> str:
        """The table's figure for this drug, its range and the midpoint used (spec 6.5)."""
        return equivalence_text(self.drug) if self.drug in TABLES[self.equivalence_table] else ""

    def compute_equivalent(self):
        self.diazepam_equivalent_mg = diazepam_equivalent(
            drug=self.drug, daily_dose_mg=self.daily_dose_mg, table=self.equivalence_table
        )
