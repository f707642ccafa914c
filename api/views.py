"""The read-only REST API under /api/v1/: every list paginated and scoped to the user by the apps'
access functions, filtered by the same FilterSets as the pages; the schema and its interactive docs."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import exception_handler as drf_exception_handler

from actionplans.access import get_programme_for_user, programmes_visible_to
from actionplans.filters import ProgrammeFilter
from actionplans.models import CommentReply, Draft, Measure, ReviewComment, Round
from agreements.access import agreements_visible_to, with_relations
from agreements.filters import AgreementExportFilter
from api import filters as api_filters
from api import serializers
from api.access import drafts_visible_to, reviews_visible_to_user
from api.models import ApiToken
from cities.models import City, ThemeArea
from lib.downloads import safe_download_response
from lib.files import KINDS
from lib.security import record
from meetings.access import meetings_visible_to, minutes_visible_to
from meetings.filters import MeetingFilter
from meetings.models import ActionItem, Minutes
from results.progress import with_latest_progress
from state.access import instruments_visible_to
from state.filters import InstrumentFilter

PROGRAMMES, REVIEWS = ApiToken.Scope.PROGRAMMES, ApiToken.Scope.REVIEWS
READ_METHODS = ("GET", "HEAD", "OPTIONS")
# A path id: digits a database integer holds (a longer one is no URL, so never an overflow).
ID = "[0-9]{1,18}"


class ReadOnlyAPI:
    """What every API view does before its handler: refuse every method but reading (405, before anyone
    is authenticated: nothing here writes), and count refused credentials against the address's rate."""

    def initial(self, request, *args, **kwargs):
        if request.method not in READ_METHODS:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request):
        try:
            request.user  # noqa: B018 - authenticates
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)  # a wrong token counts against the address, as anonymous
            raise

    def permission_denied(self, request, message=None, code=None):
        if not request.user.is_authenticated:
            self.check_throttles(request)
        super().permission_denied(request, message, code)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)  # what a person may read is theirs
        return response


def exception_handler(exc, context):
    """DRF's, and a refusal of a logged-in user goes to the security log, as the portal's refusals do."""
    request = context.get("request")
    refused = isinstance(exc, Http404 | DjangoPermissionDenied | exceptions.PermissionDenied)
    if refused and request is not None and request.user.is_authenticated:
        status = 404 if isinstance(exc, Http404) else 403
        record("refused", request=request._request, user=request.user, status=status, method=request.method)
    return drf_exception_handler(exc, context)


class ApiViewSet(ReadOnlyAPI, viewsets.ReadOnlyModelViewSet):
    # A list and its objects by id. The list's FilterSet applies to the list only: an object is found
    # by its id whatever the list's defaults (the current round, upcoming meetings) would show.

    scope = PROGRAMMES
    lookup_value_regex = ID
    filter_backends = [DjangoFilterBackend]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset


def path_id(name, description):
    """A path parameter that is an id: a whole number up to 18 digits (as the URL pattern takes it)."""
    schema = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
    return OpenApiParameter(name, schema, OpenApiParameter.PATH, description=description)


OBJECT_ID = path_id("id", "The object's id.")
PROGRAMME_ID = path_id("programme_pk", "The programme's id.")


def described(tag, list_summary, retrieve_summary, description=None, parameters=(), retrieve_parameters=()):
    """The schema's words for a viewset's list and retrieve operations."""
    return extend_schema_view(
        list=extend_schema(summary=list_summary, description=description, tags=[tag], parameters=[*parameters]),
        retrieve=extend_schema(summary=retrieve_summary, tags=[tag], parameters=[*retrieve_parameters, OBJECT_ID]),
    )


@described("cities", "The cities", "A city")
class CityViewSet(ApiViewSet):
    serializer_class = serializers.CitySerializer
    queryset = City.objects.select_related("county").order_by("name", "pk")


@described("themes", "The theme areas", "A theme area")
class ThemeViewSet(ApiViewSet):
    serializer_class = serializers.ThemeSerializer
    queryset = ThemeArea.objects.order_by("order", "code", "pk")


@described("rounds", "The rounds, with their deadlines", "A round")
class RoundViewSet(ApiViewSet):
    serializer_class = serializers.RoundSerializer
    queryset = (
        Round.objects.select_related("deadline")
        .prefetch_related("deadline__extensions")
        .order_by("-deadline__due_date", "name", "pk")
    )


@described(
    "programmes",
    "The action programmes of a round",
    "An action programme",
    description="The programmes you may see, of the round given by its slug, else of the current round "
    "(as on the page); `status` is a programme state.",
    parameters=[OpenApiParameter("round", str, description="A round's slug; by default the current round.")],
)
class ProgrammeViewSet(ApiViewSet):
    serializer_class = serializers.ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return (
            programmes_visible_to(self.request.user)
            .select_related("city", "round__deadline")
            .with_totals()
            .order_by("round_id", "city__name", "pk")
        )


DOCUMENT_TYPES = sorted({content_type for content_type, _extension in KINDS.values()})


class DownloadNegotiation(BaseContentNegotiation):
    """A file is what it is, whatever the client accepts; an error is JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@described(
    "programmes",
    "The documents (versions) of a programme",
    "A document of a programme",
    parameters=[PROGRAMME_ID],
    retrieve_parameters=[PROGRAMME_ID],
)
class DocumentViewSet(ApiViewSet):
    """A programme's uploaded versions, as its page lists them (another city reads the submitted one only)."""

    serializer_class = serializers.DocumentSerializer

    def programme(self):
        if not hasattr(self, "_programme"):
            self._programme = get_programme_for_user(self.request.user, self.kwargs["programme_pk"])
        return self._programme

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is made without a programme
            return Draft.objects.none()
        return drafts_visible_to(self.request.user, self.programme()).order_by("-number", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["programme"] = self.programme()
        return context

    @extend_schema(
        summary="The file of a document",
        tags=["programmes"],
        parameters=[PROGRAMME_ID, OBJECT_ID],
        responses={(200, content_type): OpenApiResponse(OpenApiTypes.BINARY) for content_type in DOCUMENT_TYPES},
    )
    @action(detail=True, content_negotiation_class=DownloadNegotiation)
    def download(self, request, programme_pk=None, pk=None):
        draft = self.get_object()
        try:
            handle = draft.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("The file is missing from storage.")) from missing
        record(
            "draft_downloaded",
            request=request._request,
            user=request.user,
            programme=draft.programme_id,
            version=draft.number,
            file=draft.original_name,
            via="api",
        )
        return safe_download_response(
            handle, name=draft.original_name, content_type=draft.content_type, extension=draft.extension
        )


@described("measures", "The measures of the programmes you may see", "A measure")
class MeasureViewSet(ApiViewSet):
    serializer_class = serializers.MeasureSerializer
    filterset_class = api_filters.MeasureFilter

    def get_queryset(self):
        programmes = programmes_visible_to(self.request.user).values("pk")
        return (
            with_latest_progress(Measure.objects.filter(programme__in=programmes))
            .select_related("programme", "theme_area", "category")
            .order_by("programme_id", "theme_area__order", "title", "pk")
        )


@described(
    "reviews",
    "The reviews you may read",
    "A review",
    description="The status of each theme's review (and of the cross-theme review) of a programme, with its "
    "assessment and comments: the reviews the programme's page shows you. Needs a token that reads reviews.",
)
class ReviewViewSet(ApiViewSet):
    scope = REVIEWS
    serializer_class = serializers.ReviewSerializer
    filterset_class = api_filters.ReviewFilter

    def get_queryset(self):
        comments = ReviewComment.objects.order_by("created_at", "pk").prefetch_related(
            Prefetch("replies", queryset=CommentReply.objects.order_by("created_at", "pk"))
        )
        return (
            reviews_visible_to_user(self.request.user)
            .select_related("programme", "theme_area")
            .prefetch_related(Prefetch("comments", queryset=comments))
            .order_by("programme_id", "theme_area__order", "pk")
        )


@described("agreements", "The agreements you may see", "An agreement")
class AgreementViewSet(ApiViewSet):
    serializer_class = serializers.AgreementSerializer
    filterset_class = AgreementExportFilter

    def get_queryset(self):
        agreements = agreements_visible_to(self.request.user).distinct()
        return (
            with_relations(agreements)
            .prefetch_related(Prefetch("measures", queryset=Measure.objects.only("pk")))
            .order_by("title", "pk")
        )


@described(
    "meetings",
    "The meetings you may see",
    "A meeting",
    description="Upcoming meetings (those not ended), or past ones with `when=past`, as on the page.",
    parameters=[OpenApiParameter("when", str, enum=["past"], description="“past”: the meetings that have ended.")],
)
class MeetingViewSet(ApiViewSet):
    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        user = self.request.user
        published = minutes_visible_to(user).filter(status=Minutes.Status.PUBLISHED, meeting=OuterRef("pk"))
        return (
            meetings_visible_to(user)
            .annotate(published_minutes=Subquery(published.values("pk")[:1]))
            .prefetch_related("theme_areas")
            .order_by("-starts_at", "pk")
        )


@described("meetings", "The published minutes of the meetings you may see", "Published minutes")
class MinutesViewSet(ApiViewSet):
    serializer_class = serializers.MinutesSerializer

    def get_queryset(self):
        return (
            minutes_visible_to(self.request.user)
            .filter(status=Minutes.Status.PUBLISHED)
            .prefetch_related(
                "decisions", Prefetch("action_items", queryset=ActionItem.objects.select_related("owner"))
            )
            .order_by("-published_at", "pk")
        )


@described("instruments", "The state's instruments", "A state instrument")
class InstrumentViewSet(ApiViewSet):
    serializer_class = serializers.InstrumentSerializer
    filterset_class = InstrumentFilter

    def get_queryset(self):
        return (
            instruments_visible_to(self.request.user)
            .select_related("body")
            .prefetch_related("theme_areas")
            .order_by("body__short_name", "name_nb", "pk")
        )


class SchemaView(ReadOnlyAPI, SpectacularAPIView):
    """The OpenAPI 3 schema, for anyone logged in or with a token."""

    permission_classes = [permissions.IsAuthenticated]


class DocsView(ReadOnlyAPI, SpectacularSwaggerSplitView):
    """Swagger UI, served from our own static files (drf-spectacular-sidecar), its script in a file of its
    own (?script): the Content Security Policy allows no inline script."""

    permission_classes = [permissions.AllowAny]  # the page is behind the portal's login (urls.py)
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


docs = login_required(DocsView.as_view())
