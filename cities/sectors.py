"""The nine sectors of Miljødirektoratet's municipal greenhouse-gas statistics ("Klimagassutslipp i
kommuner"): what a measure may say it acts on, and what the emission figures are counted in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmissionSector(models.TextChoices):
    INDUSTRY = "industry", _("Industry, oil and gas")
    ENERGY_SUPPLY = "energy_supply", _("Energy supply")
    HEATING = "heating", _("Heating")
    ROAD_TRAFFIC = "road_traffic", _("Road traffic")
    SHIPPING = "shipping", _("Shipping")
    AVIATION = "aviation", _("Aviation")
    OTHER_MOBILE = "other_mobile", _("Other mobile combustion")
    AGRICULTURE = "agriculture", _("Agriculture")
    WASTE = "waste", _("Waste and sewage")


# The sectors as the statistics name them (column "Sektor"), whatever the interface's language.
PUBLISHED_NAMES = {
    "Industri, olje og gass": EmissionSector.INDUSTRY,
    "Energiforsyning": EmissionSector.ENERGY_SUPPLY,
    "Oppvarming": EmissionSector.HEATING,
    "Veitrafikk": EmissionSector.ROAD_TRAFFIC,
    "Sjøfart": EmissionSector.SHIPPING,
    "Luftfart": EmissionSector.AVIATION,
    "Annen mobil forbrenning": EmissionSector.OTHER_MOBILE,
    "Jordbruk": EmissionSector.AGRICULTURE,
    "Avfall og avløp": EmissionSector.WASTE,
}
