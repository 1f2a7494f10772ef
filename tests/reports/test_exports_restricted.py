import csv
import io

from assessments.patients.services import patient_restrict_processing
from assessments.reports.exports import formulations_csv
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for


def test_it_leaves_patients_with_restricted_processing_out_of_exports(clinician, cadi):
    kept = patient_for(clinician)
    restricted = patient_for(clinician)
    for patient in (kept, restricted):
        finalized_interview(patient, clinician, {"clinician_impression": "unclear"}, PASSWORD)
    patient_restrict_processing(patient=restricted, user=clinician, restricted=True)
    content, rows = formulations_csv(user=clinician, progress=lambda done: None)
    text = content.decode("utf-8-sig")
    assert kept.record_number in text and restricted.record_number not in text
    assert rows == 1 and len(list(csv.reader(io.StringIO(text)))) == 2
