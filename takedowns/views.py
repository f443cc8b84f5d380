"""Public pages for rights holders: the form, email confirmation, the status page; and staff file downloads."""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from takedowns import abuse
from takedowns.files import download_name
from takedowns.forms import MessageForm, RequestForm, WithdrawForm
from takedowns.models import OPEN_STATUSES, Attachment, RequestEvent, TakedownRequest
from takedowns.workflow import requester
from takedowns.workflow.transition import IllegalTransition

Status = TakedownRequest.Status
# Five files at the limit, plus room for the text fields and multipart framing.
FORM_OVERHEAD_BYTES = 1024 * 1024


def max_body_bytes() -> int:
    return settings.TAKEDOWNS_MAX_ATTACHMENTS * settings.TAKEDOWNS_MAX_ATTACHMENT_BYTES + FORM_OVERHEAD_BYTES


def body_too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > max_body_bytes()
    except ValueError:
        return True


def too_large_response(request):
    return render(request, "takedowns/too_large.html", {"limit": max_body_bytes()}, status=413)


def rate_limited_response(request, limited: abuse.RateLimited, template: str, context: dict):
    """The page the person was on, with the limit at the top and what they typed kept (status 429)."""
    response = render(request, template, {**context, "limited": limited}, status=429)
    response["Retry-After"] = str(limited.retry_after_seconds)
    return response


def refuse_large_bodies(view):
    """Answer 413 from Content-Length alone, before CSRF checks or Django parse (and spool) the upload.

    CsrfViewMiddleware would otherwise read the whole multipart body first, so
    the outer view is exempt and the inner one is CSRF-protected as usual.
    """

    @wraps(view)
    @csrf_exempt
    def guarded(request, *args, **kwargs):
        if request.method == "POST" and body_too_large(request):
            return too_large_response(request)
        return csrf_protect(view)(request, *args, **kwargs)

    return guarded


@never_cache
@refuse_large_bodies
def new_request(request):
    if request.method != "POST":
        form = RequestForm(initial={"articles": request.GET.get("article", "")[:300]})
        return render(request, "takedowns/new.html", {"form": form})
    if "show_sources" in request.POST:
        # The no-JavaScript way to list the sources of the articles just typed, and say which names we do not know.
        form = RequestForm.keeping(request.POST)
        context = {"form": form, "unknown_articles": form.unknown_references(), "sources_shown": True}
        return render(request, "takedowns/new.html", context)
    ip_hash = abuse.hash_ip(abuse.client_ip(request))
    form = RequestForm(request.POST, request.FILES)
    try:
        abuse.check_ip_limit(ip_hash)
        if form.is_bot():
            # Look exactly like success, so a bot learns nothing.
            return redirect("takedowns:sent")
        if not form.is_valid():
            return render(request, "takedowns/new.html", {"form": form}, status=400)
        abuse.check_email_limit(form.cleaned_data["requester_email"])
    except abuse.RateLimited as limited:
        # The form again, with what was typed and the limit: nothing is lost but the files.
        return rate_limited_response(
            request, limited, "takedowns/new.html", {"form": RequestForm.keeping(request.POST)}
        )
    requester.submit_request(form.to_input(), ip_hash=ip_hash, language=get_language() or settings.LANGUAGE_CODE)
    return redirect("takedowns:sent")


def request_sent(request):
    return render(request, "takedowns/sent.html", {"hours": settings.TAKEDOWNS_VERIFICATION_HOURS})


@never_cache
def confirm(request, token):
    """GET shows a button; only the POST confirms, because mail scanners follow links."""
    takedown = get_object_or_404(TakedownRequest, confirmation_token=token)
    if takedown.status != Status.PENDING_VERIFICATION:
        if takedown.status == Status.EXPIRED:
            return render(request, "takedowns/expired.html", {"takedown": takedown}, status=410)
        return redirect(takedown)
    if request.method == "POST":
        try:
            requester.confirm_request(takedown)
        except IllegalTransition:
            pass  # a double click or a sweep got there first; the status page tells the truth
        return redirect(takedown)
    return render(request, "takedowns/confirm.html", {"takedown": takedown})


def _status_context(takedown, **forms):
    events = (
        RequestEvent.objects.filter(request=takedown, visible_to_requester=True)
        .select_related("message", "attachment")
        .order_by("created_at", "id")
    )
    context = {
        "takedown": takedown,
        "events": events,
        "articles": takedown.articles.all(),
        "citations": takedown.request_citations.all(),
        "can_write": takedown.status in OPEN_STATUSES,
        "message_form": MessageForm(),
        "withdraw_form": WithdrawForm(),
    }
    if takedown.status == Status.NEEDS_INFO:
        context.update(_question(takedown))
    context.update(forms)
    return context


def _question(takedown) -> dict:
    """The editors' latest question and when silence closes the request (jobs.withdraw_silent_requests)."""
    asked = (
        RequestEvent.objects.filter(request=takedown, to_status=Status.NEEDS_INFO)
        .order_by("-created_at", "-id")
        .first()
    )
    if asked is None:
        return {}
    days = settings.TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS
    return {"question": asked.note, "closes_at": asked.created_at + dt.timedelta(days=days), "close_days": days}


@never_cache
def status_page(request, token):
    takedown = get_object_or_404(TakedownRequest, token=token)
    response = render(request, "takedowns/status.html", _status_context(takedown))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _requester_attachments(takedown) -> int:
    return Attachment.objects.filter(request=takedown, uploaded_by=Attachment.UploadedBy.REQUESTER).count()


@never_cache
@require_POST
@refuse_large_bodies
def add_message(request, token):
    takedown = get_object_or_404(TakedownRequest, token=token)
    if takedown.status not in OPEN_STATUSES:
        return render(request, "takedowns/status.html", _status_context(takedown), status=409)
    try:
        abuse.check_message_limit(takedown)
    except abuse.RateLimited as limited:
        # The page again with the message as typed, so waiting out the limit loses nothing but the files.
        kept = MessageForm(initial={"body": request.POST.get("body", "")})
        return rate_limited_response(
            request, limited, "takedowns/status.html", _status_context(takedown, message_form=kept)
        )
    form = MessageForm(request.POST, request.FILES, already_attached=_requester_attachments(takedown))
    if not form.is_valid():
        return render(request, "takedowns/status.html", _status_context(takedown, message_form=form), status=400)
    try:
        requester.add_requester_message(
            takedown, body=form.cleaned_data["body"], files=form.cleaned_data["attachments"]
        )
    except requester.RequestClosed:
        return render(request, "takedowns/status.html", _status_context(takedown), status=409)
    return redirect(takedown.get_absolute_url() + "#timeline")


@never_cache
@require_POST
def withdraw(request, token):
    takedown = get_object_or_404(TakedownRequest, token=token)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render(request, "takedowns/status.html", _status_context(takedown, withdraw_form=form), status=400)
    try:
        requester.withdraw_request(takedown, reason=form.cleaned_data["reason"])
    except IllegalTransition:
        return render(request, "takedowns/status.html", _status_context(takedown), status=409)
    return redirect(takedown)


@login_required(login_url="admin:login")
@permission_required("takedowns.view_attachment", raise_exception=True)
def attachment_download(request, pk):
    """Staff only. Always a download with our detected type, never rendered inline by the browser."""
    attachment = get_object_or_404(Attachment, pk=pk)
    if not attachment.file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # The extension follows the type we detected, not the name the requester gave (files.download_name).
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
