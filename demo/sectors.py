"""The emission sector a demo measure acts on, from its theme area and category: land use and transport
cuts road traffic, energy in buildings heating (district heating: energy supply), waste the waste sector.
Adaptation and purchasing cut no sector of the municipal statistics."""

from cities.sectors import EmissionSector

BY_THEME = {
    "atp": EmissionSector.ROAD_TRAFFIC,
    "energy": EmissionSector.HEATING,
    "consumption": EmissionSector.WASTE,
}
BY_CATEGORY = {
    ("energy", "Fjernvarme"): EmissionSector.ENERGY_SUPPLY,
    ("consumption", "Innkjøp"): "",
}


def sector_of(theme, category):
    return BY_CATEGORY.get((theme, category), BY_THEME.get(theme, ""))
