"""The farm diary (nhật ký sản xuất): what is done on a plot before harvest.

VietGAP farms keep one already, on paper or in an app. Each entry is an event on the plot; a
spraying's pre-harvest interval (thời gian cách ly) bounds the earliest harvest from that plot.
"""

from __future__ import annotations

from enum import StrEnum


class Activity(StrEnum):
    SOWING = "sowing"  # sown or planted: variety, seed lot
    FERTILISING = "fertilising"  # product, amount
    SPRAYING = "spraying"  # product, active ingredient, dose, pre-harvest interval in days
    IRRIGATION = "irrigation"
    CARE = "care"  # any other care: weeding, pruning, bagging fruit…
