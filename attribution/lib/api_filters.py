"""A django-filter backend that builds its FilterSet only when the request uses one of its parameters."""

from django_filters.rest_framework import DjangoFilterBackend


class UsedFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend``, skipped when no query parameter names one of the FilterSet's filters.

    Each FilterSet deep-copies its filters and validates a form: about 1 ms a request, a tenth of the
    article list's CPU, spent on the plain list most clients ask for. With no filter parameter every filter
    sees an empty value and leaves the queryset as it is, so skipping it answers the same. A parameter that
    merely starts with a filter's name (a range filter's ``<name>_min``) still builds it, so bad values are
    refused with a 400 as before.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            names = tuple(filterset_class.base_filters)
            if not any(param.startswith(names) for param in request.query_params):
                return queryset
        return super().filter_queryset(request, queryset, view)
