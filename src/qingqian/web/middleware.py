from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from qingqian.web.views import unavailable


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the person chose another language with the
    switch (stored in the language cookie); the browser's Accept-Language is
    not consulted, so every official sees the same default interface. API
    clients, which have no switch, choose with Accept-Language."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen not in supported and request.path_info.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseBusyMiddleware:
    """A request that could not get SQLite's writer in time (a long import holds
    it), that found the database out of reach or the uploads volume full
    answers 503 with Retry-After in the reader's language, not a 500: it
    wrote nothing (its transaction never began or was rolled back), so trying
    again is safe (qingqian.web.views.unavailable). The API answers the same
    in JSON (qingqian.api.errors). In production mode the 500 handler does the
    same for errors raised outside views; this middleware also serves the
    demo, whose DEBUG pages bypass that handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable(request, exception)
