"""Staff API of the editorial workflow: perform a transition, read a request's audit trail.

Same permissions as the admin: reading needs the request view permission,
and each action the service's own check (Editors or Legal). Errors carry the
reason: 400 for bad fields (keyed by field), 403 for a refused user, 409 for
a move the request's current state does not allow (including losing a race).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response

from takedowns.api import TakedownRequestSerializer
from takedowns.models import MAX_LONG_TEXT, MAX_NOTE, RequestEvent, TakedownRequest
from takedowns.services import IllegalTransition
from takedowns.workflow import ACTIONS, NotAllowed
from takedowns.workflow_actions import run_action


class CanSeeRequests(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("takedowns.view_takedownrequest"))


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(name, spec.label) for name, spec in ACTIONS.items()])
    note = serializers.CharField(
        max_length=MAX_NOTE,
        required=False,
        allow_blank=True,
        help_text=_("Shown to the requester and emailed (internal for spam); empty uses the action's template."),
    )
    internal_note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True)
    assignee = serializers.CharField(max_length=150, required=False, help_text=_("Username, for assign."))
    rejection_reason = serializers.ChoiceField(
        choices=TakedownRequest.RejectionReason.choices, required=False, help_text=_("For reject.")
    )
    duplicate_of = serializers.IntegerField(min_value=1, required=False, help_text=_("For duplicate."))
    outcome = serializers.ChoiceField(
        choices=TakedownRequest.Outcome.choices, required=False, help_text=_("For apply.")
    )
    article = serializers.CharField(
        max_length=300, required=False, help_text=_("For apply: the article's slug, if the request has several.")
    )
    headline = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField(
        max_length=200_000, required=False, allow_blank=True, help_text=_("For text corrections.")
    )
    sources = serializers.ListField(
        child=serializers.CharField(max_length=4000),
        required=False,
        max_length=200,
        help_text=_("For attribution and link changes: URLs as cited, in order."),
    )
    correction_note = serializers.CharField(max_length=MAX_LONG_TEXT, required=False, allow_blank=True)


class RequestEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    message = serializers.CharField(source="message.body", read_only=True, allow_null=True, default=None)
    # Plain strings: the values are the request's status values (one enum in the schema is enough).
    from_status = serializers.CharField(read_only=True, help_text=_("The request's status before, if it changed."))
    to_status = serializers.CharField(read_only=True, help_text=_("The request's status after, if it changed."))

    class Meta:
        model = RequestEvent
        fields = [
            "id",
            "created_at",
            "kind",
            "actor",
            "actor_label",
            "from_status",
            "to_status",
            "note",
            "message",
            "visible_to_requester",
        ]


class RequestTransitionView(generics.GenericAPIView):
    """Perform one workflow action on a request."""

    permission_classes = [CanSeeRequests]
    serializer_class = TransitionSerializer
    queryset = TakedownRequest.objects.all()

    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: TakedownRequestSerializer,
            400: OpenApiResponse(description=_("Invalid fields, keyed by field name.")),
            403: OpenApiResponse(description=_("This user may not perform this action on this request.")),
            404: OpenApiResponse(description=_("No such request.")),
            409: OpenApiResponse(description=_("The request's current state does not allow this action.")),
        },
    )
    def post(self, request, pk):
        takedown = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = dict(payload.validated_data)
        action = fields.pop("action")
        try:
            moved = run_action(takedown, actor=request.user, action=action, fields=fields)
        except NotAllowed as refused:
            return Response({"detail": str(refused.message)}, status=status.HTTP_403_FORBIDDEN)
        except IllegalTransition as illegal:
            body = {"detail": str(illegal.message), "status": illegal.current_status}
            return Response(body, status=status.HTTP_409_CONFLICT)
        moved = self.get_queryset().select_related("assignee").get(pk=moved.pk)
        return Response(TakedownRequestSerializer(moved, context=self.get_serializer_context()).data)


class RequestEventsView(generics.ListAPIView):
    """A request's audit trail, oldest first: every event with actor, from, to, note and time."""

    permission_classes = [CanSeeRequests]
    serializer_class = RequestEventSerializer
    queryset = RequestEvent.objects.none()
    filter_backends = []

    def get_queryset(self):
        takedown = generics.get_object_or_404(TakedownRequest, pk=self.kwargs["pk"])
        return (
            RequestEvent.objects.filter(request=takedown)
            .select_related("actor", "message")
            .order_by("created_at", "id")
        )
