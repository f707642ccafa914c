"""DRF's throttles, with the rate read from settings.API_RATE when a request comes (so a test may change it)."""

from django.conf import settings
from rest_framework import throttling


class UserRateThrottle(throttling.UserRateThrottle):
    def get_rate(self):
        return settings.API_RATE


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        return settings.API_RATE
