from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from cities.models import Profile


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Norwegian bokmål unless the user chose another language.

    The choice is the one made with the language switch: kept in Django's
    language cookie and, for a logged-in user, in their profile, so it follows
    them to another browser. The browser's Accept-Language is not asked, so a
    civil servant with an English browser still gets the Norwegian portal.
    Runs after the authentication middleware.
    """

    def process_request(self, request):
        supported = {code for code, _ in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        request._language_from_profile = False
        if chosen not in supported and request.user.is_authenticated:
            chosen = Profile.objects.filter(user=request.user).values_list("language", flat=True).first()
            request._language_from_profile = chosen in supported
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(request, "_language_from_profile", False):
            # Remembered in the cookie too, so the profile is read once per browser.
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.LANGUAGE_CODE, samesite="Lax")
        return response
