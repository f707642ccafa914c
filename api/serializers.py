"""What the API shows of each object. Ids are the database's primary keys: stable, and the same as in
the portal's own addresses. Codes (statuses, kinds) are the stored values; a `…_label` beside one is the
label every page shows for it."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actionplans.models import (
    ActionProgramme,
    CommentReply,
    DeadlineExtension,
    Draft,
    Measure,
    ProgrammeState,
    Review,
    ReviewComment,
    Round,
)
from agreements.models import Agreement, Party
from cities.models import City, Organisation, ThemeArea
from meetings.models import ActionItem, Decision, Meeting, Minutes
from results.models import ProgressStatus
from state.models import Instrument


class CitySerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = City
        fields = ["id", "name", "slug", "municipality_number", "county", "population"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThemeArea
        fields = ["id", "code", "name_nb", "name_en", "order"]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineExtension
        fields = ["old_date", "new_date", "reason", "decided_at"]


class RoundSerializer(serializers.ModelSerializer):
    due_date = serializers.DateField(
        source="deadline.due_date",
        read_only=True,
        allow_null=True,
        help_text="The round's deadline (end of day, Oslo).",
    )
    extensions = serializers.SerializerMethodField(help_text="The deadline's extensions, oldest first.")

    class Meta:
        model = Round
        fields = ["id", "name", "slug", "description", "open_to_cities", "due_date", "extensions"]

    @extend_schema_field(ExtensionSerializer(many=True))
    def get_extensions(self, round_):
        deadline = getattr(round_, "deadline", None)
        return ExtensionSerializer(deadline.extensions.all() if deadline else [], many=True).data


def absolute(serializer, name, *args):
    """The absolute address of the API's URL `name` (without the request: a path)."""
    path = reverse(f"api:{name}", args=args)
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ProgrammeSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    state = serializers.ChoiceField(
        choices=ProgrammeState.choices, read_only=True, help_text="Where the programme stands, as every page says."
    )
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    due_date = serializers.DateField(
        source="effective_due_date", read_only=True, allow_null=True, help_text="The city's own due date."
    )
    submitted_document = serializers.PrimaryKeyRelatedField(source="submitted_draft", read_only=True, allow_null=True)
    measure_count = serializers.IntegerField(read_only=True)
    total_effect = serializers.DecimalField(
        max_digits=14,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text="The sum of its measures' expected effect, t CO₂e per year.",
    )
    documents = serializers.SerializerMethodField(help_text="The address of the programme's documents.")

    class Meta:
        model = ActionProgramme
        fields = [
            "id",
            "round",
            "city",
            "city_name",
            "status",
            "state",
            "state_label",
            "due_date",
            "extended_due_date",
            "submitted_at",
            "submitted_on_time",
            "submitted_document",
            "measure_count",
            "total_effect",
            "documents",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_documents(self, programme):
        return absolute(self, "programme-document-list", programme.pk)


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    submitted = serializers.SerializerMethodField(help_text="Whether this is the version that was submitted.")
    download = serializers.SerializerMethodField(help_text="The address of the file.")

    class Meta:
        model = Draft
        fields = [
            "id",
            "programme",
            "number",
            "name",
            "extension",
            "content_type",
            "size",
            "sha256",
            "note",
            "uploaded_at",
            "submitted",
            "download",
        ]

    def get_submitted(self, draft) -> bool:
        return draft.pk == self.context["programme"].submitted_draft_id

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, draft):
        return absolute(self, "programme-document-download", draft.programme_id, draft.pk)


class MeasureSerializer(serializers.ModelSerializer):
    city = serializers.IntegerField(source="programme.city_id", read_only=True)
    round = serializers.IntegerField(source="programme.round_id", read_only=True)
    theme = serializers.CharField(source="theme_area.code", read_only=True)
    category_name_nb = serializers.CharField(source="category.name_nb", read_only=True, allow_null=True)
    category_name_en = serializers.CharField(source="category.name_en", read_only=True, allow_null=True)
    # What the latest submitted progress report says of it (`results.progress.with_latest_progress`).
    progress_status = serializers.ChoiceField(choices=ProgressStatus.choices, read_only=True, allow_null=True)
    progress_share_done = serializers.IntegerField(source="progress_share", read_only=True, allow_null=True)
    progress_effect_now = serializers.DecimalField(
        source="progress_effect", max_digits=12, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "programme",
            "city",
            "round",
            "theme_area",
            "theme",
            "category",
            "category_name_nb",
            "category_name_en",
            "title",
            "description",
            "expected_effect",
            "assessed_effect",
            "cost_estimate",
            "status",
            "sector",
            "state_cooperation_wanted",
            "candidate_kind",
            "carried_from",
            "progress_status",
            "progress_share_done",
            "progress_effect_now",
            "created_at",
            "updated_at",
        ]


class ReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = CommentReply
        fields = ["id", "text", "created_at"]


class CommentSerializer(serializers.ModelSerializer):
    replies = ReplySerializer(many=True, read_only=True)

    class Meta:
        model = ReviewComment
        fields = ["id", "measure", "text", "created_at", "resolved_at", "replies"]


class ReviewSerializer(serializers.ModelSerializer):
    city = serializers.IntegerField(source="programme.city_id", read_only=True)
    round = serializers.IntegerField(source="programme.round_id", read_only=True)
    theme = serializers.CharField(
        source="theme_area.code", read_only=True, allow_null=True, help_text="Empty for the cross-theme review."
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reviewed_document = serializers.PrimaryKeyRelatedField(source="reviewed_draft", read_only=True, allow_null=True)
    comments = CommentSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "programme",
            "city",
            "round",
            "theme_area",
            "theme",
            "status",
            "status_label",
            "updated_at",
            "completed_at",
            "reviewed_document",
            "assessment",
            "comments",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind"]


class PartySerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Party
        fields = ["city", "organisation"]


class AgreementSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    parties = PartySerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "status_label",
            "description",
            "theme_areas",
            "parties",
            "measures",
            "value",
            "period_start",
            "period_end",
            "signed_date",
            "created_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    minutes = serializers.IntegerField(
        source="published_minutes", read_only=True, allow_null=True, help_text="Its published minutes, if any."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "theme_areas",
            "host_city",
            "venue",
            "starts_at",
            "ends_at",
            "status",
            "status_label",
            "registration_deadline",
            "continues",
            "minutes",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "order", "text"]


class ActionItemSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "text", "owner_name", "due_date", "status"]

    def get_owner_name(self, item) -> str:
        return (item.owner.get_full_name() or item.owner.get_username()) if item.owner else ""


class MinutesSerializer(serializers.ModelSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)
    action_items = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = ["id", "meeting", "main_points", "published_at", "decisions", "action_items"]


class InstrumentSerializer(serializers.ModelSerializer):
    body = OrganisationSerializer(read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "body",
            "name_nb",
            "name_en",
            "kind",
            "theme_areas",
            "offers_nb",
            "offers_en",
            "terms_nb",
            "terms_en",
            "open_from",
            "open_until",
            "application_deadline",
            "contact_role",
            "link",
            "active",
        ]
