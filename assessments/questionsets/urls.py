from django.urls import path

from . import views, views_edit

version = "versions/<uuid:version_uuid>/"

urlpatterns = [
    path("", views.set_list, name="questionset-list"),
    path("import/", views.version_import, name="questionset-import"),
    path(version, views.version_detail, name="questionset-version"),
    path(f"{version}clone/", views.version_clone, name="questionset-clone"),
    path(f"{version}publish/", views.version_publish, name="questionset-publish"),
    path(f"{version}retire/", views.version_retire, name="questionset-retire"),
    path(f"{version}delete/", views.version_delete, name="questionset-delete"),
    path(f"{version}texts/confirm/", views.text_confirm, name="questionset-text-confirm"),
    path(f"{version}json/", views.version_json, name="questionset-json"),
    path(f"{version}dry-run/", views.dry_run, name="questionset-dry-run"),
    path(f"{version}diff/", views.diff, name="questionset-diff"),
    path(f"{version}export.json", views.export_json, name="questionset-export"),
    path(f"{version}questionnaire.json", views.export_fhir, name="questionset-fhir"),
    path(f"{version}what-if/", views.whatif_start, name="questionset-whatif-start"),
    path(f"{version}items/new/", views_edit.item_edit, name="questionset-item-new"),
    path(f"{version}items/<slug:code>/", views_edit.item_edit, name="questionset-item"),
    path(f"{version}items/<slug:code>/move/", views_edit.item_move, name="questionset-item-move"),
    path(f"{version}items/<slug:code>/delete/", views_edit.item_delete, name="questionset-item-delete"),
    path(f"{version}rules/new/", views_edit.rule_edit, name="questionset-rule-new"),
    path(f"{version}rules/<slug:rule_id>/", views_edit.rule_edit, name="questionset-rule"),
    path(f"{version}rules/<slug:rule_id>/delete/", views_edit.rule_delete, name="questionset-rule-delete"),
    path(f"{version}test-cases/new/", views_edit.test_case_edit, name="questionset-case-new"),
    path(f"{version}test-cases/<slug:case_id>/", views_edit.test_case_edit, name="questionset-case"),
    path(
        f"{version}test-cases/<slug:case_id>/delete/",
        views_edit.test_case_delete,
        name="questionset-case-delete",
    ),
    path("what-if/<uuid:run_uuid>/", views.whatif_detail, name="questionset-whatif"),
    path("what-if/<uuid:run_uuid>/progress/", views.whatif_progress, name="questionset-whatif-progress"),
]
