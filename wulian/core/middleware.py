"""Page middleware: a password set by an administrator is changed before anything else."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Send a signed-in user whose password must be changed to the password page.

    Pages only: the API answers as usual (its clients change the password through
    `POST /api/v1/me/password/`). Signing out, the language switch and static files stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            target = reverse(settings.PASSWORD_CHANGE_URL)
            exempt = (target, reverse("logout"), "/api/", "/i18n/", "/" + settings.STATIC_URL)
            if not request.path.startswith(exempt):
                return redirect(target)
        return self.get_response(request)
