from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.core.api import JSONParser

from .engine.records import DOMINANT_STATES
from .services import PreviewInputError, formulation_preview

_request = inline_serializer(
    "FormulationPreviewRequest",
    fields={
        "answers": serializers.DictField(help_text="item code → answer"),
        "question_set": serializers.CharField(required=False, help_text='"cadi" or "cadi@1"'),
    },
)
_rule = inline_serializer(
    "FiredRule",
    fields={
        "id": serializers.CharField(),
        "label": serializers.CharField(),
        "direction": serializers.ChoiceField(choices=["craving", "anxiety", "flag"]),
        "contribution": serializers.FloatField(),
        "evidence": serializers.ListField(child=serializers.DictField()),
    },
)
_formulation = inline_serializer(
    "Formulation",
    fields={
        "craving_score": serializers.IntegerField(),
        "anxiety_score": serializers.IntegerField(),
        "craving_share": serializers.IntegerField(allow_null=True),
        "anxiety_share": serializers.IntegerField(allow_null=True),
        "dominant": serializers.ChoiceField(choices=list(DOMINANT_STATES)),
        "confidence": serializers.ChoiceField(choices=["low", "moderate", "high"]),
        "rules": serializers.ListField(child=_rule),
        "flags": serializers.ListField(child=serializers.CharField()),
        "recommendations": serializers.ListField(child=serializers.DictField()),
        "missing": serializers.ListField(child=serializers.CharField()),
        "question_set": serializers.CharField(),
        "engine_version": serializers.CharField(),
    },
)
_error = inline_serializer(
    "FormulationInputError",
    fields={
        "detail": serializers.CharField(),
        "field": serializers.CharField(help_text="the offending item code or key"),
        "errors": serializers.DictField(child=serializers.CharField()),
    },
)


class FormulationPreview(APIView):
    """Formulate an answer set and return it; nothing is stored."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=_request,
        responses={200: _formulation, 400: OpenApiResponse(_error, description="refused input")},
    )
    def post(self, request):
        try:
            result = formulation_preview(request.data)
        except PreviewInputError as exc:
            return Response({"detail": exc.message, "field": exc.field, "errors": exc.errors}, status=400)
        return Response(result)
