"""Staff API of the editorial workflow: perform a transition, read a request's audit trail.

Same permissions as the admin: reading needs the request view permission;
a transition also needs an active staff account (the admin's door) and then
each action's own check in the service (Editors or Legal). Errors carry the
reason: 400 for bad fields (keyed by field), 403 for a refused user, 409 for
a move the request's current state does not allow (including losing a race).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from attribution.lib.permissions import StaffWrites, require_model_permission
from takedowns.api.requests import TakedownRequestSerializer
from takedowns.models import RequestEvent, TakedownRequest
from takedowns.workflow.graph import NotAllowed
from takedowns.workflow.registry import ActionFields, run_action
from takedowns.workflow.transition import IllegalTransition

CanSeeRequests = require_model_permission("takedowns.view_takedownrequest")


class RequestEventSerializer(serializers.ModelSerializer):
    # Null for the requester's and the system's events (actor_label says which).
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
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

    permission_classes = [CanSeeRequests, StaffWrites]
    serializer_class = ActionFields
    queryset = TakedownRequest.objects.all()

    @extend_schema(
        request=ActionFields,
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
        try:
            moved = run_action(takedown, actor=request.user, data=request.data)
        except ValidationError as invalid:
            return Response(invalid.message_dict, status=status.HTTP_400_BAD_REQUEST)
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
