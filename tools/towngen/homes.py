"""The eight homes of the demo town (docs/MAP_CONVENTIONS.md), furnished.

Every function draws one home with its top-left corner at ``(x, y)`` and returns it; the
front door is listed in ``Building.doors`` (the caller connects it to the streets).
"""

from __future__ import annotations

from towngen.building import Building
from towngen.canvas import Canvas
from towngen.furnish import (
    bathroom,
    big_table,
    bookshelf,
    desk,
    double_bed,
    kitchen_run,
    oval_table,
    plant,
    rug,
    sideboard,
    sofa,
    tv,
)

WOOD, GREEN, TILE, GREY = "floor_wood", "floor_green", "floor_tile", "floor_grey"
ORANGE = "floor_orange"


def brook_house(c: Canvas, x: int, y: int) -> Building:
    """Family house, 4 beds: main bedroom and kids room off a long living room."""
    b = Building(
        c,
        "Brook House",
        x,
        y,
        """
####################
#MMMMMM#LLLLL#CCCCC#
#MMMMMM#LLLLL#CCCCC#
#MMMMMM+LLLLL+CCCCC#
#MMMMMM#LLLLL#CCCCC#
#MMMMMM#LLLLL#CCCCC#
########LLLLL#CCCCC#
#KKKKKK#LLLLL#######
#KKKKKK+LLLLL#BBBBB#
#KKKKKK+LLLLL+BBBBB#
#KKKKKK#LLLLL#BBBBB#
#KKKKKK#LLLLL#BBBBB#
##########++########
""",
        {
            "M": ("main bedroom", WOOD),
            "L": ("living room", ORANGE),
            "C": ("kids room", GREEN),
            "K": ("kitchen", TILE),
            "B": ("bathroom", GREY),
        },
        wall="wall_red",
    )
    # main bedroom
    plant(b, 1, 1)
    double_bed(b, 2, 1, "orange")
    sideboard(b, 5, 1, [])
    rug(b, 2, 3, "cream")
    # kids room
    b.bed("bed 1", 14, 1, "bed_green")
    b.bed("bed 2", 18, 1, "bed_orange")
    bookshelf(b, 16, 1, alt=True)
    rug(b, 15, 3, "green")
    desk(b, 17, 4)
    plant(b, 14, 6, alt=True)
    # living room
    bookshelf(b, 8, 1)
    bookshelf(b, 9, 1, "bookshelf 2", alt=True)
    plant(b, 12, 1)
    sofa(b, 9, 3)
    rug(b, 9, 4, "teal")
    tv(b, 10, 5, use=(10, 4))
    rug(b, 9, 8, "orange")
    plant(b, 12, 7, alt=True)
    plant(b, 8, 11)
    # kitchen
    kitchen_run(b, 1, 7, "FlSdrT")
    oval_table(b, 3, 9)
    plant(b, 1, 11, alt=True)
    # bathroom
    bathroom(b, toilet=(15, 8), shower=(18, 8), sink=(17, 8), bath=(17, 11))
    return b


def harbor_flat(c: Canvas, x: int, y: int) -> Building:
    """Shared flat, 3 beds: three bedrooms over a common room with an open kitchen."""
    b = Building(
        c,
        "Harbor Flat",
        x,
        y,
        """
####################
#AAAAA#BBBBB#CCCCCC#
#AAAAA#BBBBB#CCCCCC#
#AAAAA#BBBBB#CCCCCC#
#AAAAA#BBBBB#CCCCCC#
#####+###+###+######
#WWW#RRRRRRRRRKKKKK#
#WWW#RRRRRRRRRKKKKK#
#WWW+RRRRRRRRRKKKKK#
#WWW#RRRRRRRRRKKKKK#
#WWW#RRRRRRRRRKKKKK#
#WWW#RRRRRRRRRKKKKK#
########++##########
""",
        {
            "A": ("bedroom 1", ORANGE),
            "B": ("bedroom 2", GREEN),
            "C": ("bedroom 3", WOOD),
            "W": ("bathroom", GREY),
            "R": ("common room", WOOD),
            "K": ("kitchen", TILE),
        },
        wall="wall_grey",
    )
    # bedroom 1
    b.bed("bed 1", 1, 1, "bed_orange")
    b.put(2, 1, "cabinet")
    desk(b, 4, 1)
    rug(b, 1, 3, "green")
    # bedroom 2
    b.bed("bed 1", 7, 1, "bed_green")
    b.put(8, 1, "cabinet")
    bookshelf(b, 11, 1)
    rug(b, 8, 3, "cream")
    # bedroom 3
    b.bed("bed 1", 18, 1, "bed_orange")
    plant(b, 13, 1)
    desk(b, 15, 1)
    bookshelf(b, 16, 1, alt=True)
    rug(b, 15, 3, "orange")
    # bathroom
    bathroom(b, toilet=(1, 6), sink=(2, 6), shower=(3, 6), bath=(2, 11))
    # common room
    sofa(b, 6, 6)
    rug(b, 6, 7, "teal")
    tv(b, 7, 8, use=(7, 7))
    bookshelf(b, 10, 6)
    bookshelf(b, 11, 6, "bookshelf 2", alt=True)
    plant(b, 12, 6, alt=True)
    b.put(10, 10, "chair_e", block=False)
    b.put(11, 10, "table_small")
    b.put(12, 10, "chair_w", block=False)
    plant(b, 5, 11)
    # kitchen
    kitchen_run(b, 14, 6, "FlSrT")
    oval_table(b, 15, 8)
    plant(b, 18, 11)
    return b


def alder_dorm(c: Canvas, x: int, y: int) -> Building:
    """Student dorm, 6 beds: three twin rooms, a bathroom, a lounge and a common kitchen."""
    b = Building(
        c,
        "Alder Dorm",
        x,
        y,
        """
##########################
#AAAAAA#BBBBBB#CCCCCC#WWW#
#AAAAAA#BBBBBB#CCCCCC#WWW#
#AAAAAA#BBBBBB#CCCCCC#WWW#
#AAAAAA#BBBBBB#CCCCCC#WWW#
###+######+######+####+###
#LLLLLLLLLLLLL#KKKKKKKKKK#
#LLLLLLLLLLLLL#KKKKKKKKKK#
#LLLLLLLLLLLLL+KKKKKKKKKK#
#LLLLLLLLLLLLL+KKKKKKKKKK#
#LLLLLLLLLLLLL#KKKKKKKKKK#
#LLLLLLLLLLLLL#KKKKKKKKKK#
######++##################
""",
        {
            "A": ("room 1", GREEN),
            "B": ("room 2", WOOD),
            "C": ("room 3", GREEN),
            "W": ("bathroom", GREY),
            "L": ("lounge", ORANGE),
            "K": ("common kitchen", TILE),
        },
        wall="wall_beige",
    )
    for left, colours in (
        (1, ("green", "orange")),
        (8, ("orange", "green")),
        (15, ("green", "green")),
    ):
        b.bed("bed 1", left, 1, f"bed_{colours[0]}")
        b.bed("bed 2", left + 5, 1, f"bed_{colours[1]}")
        desk(b, left + 1, 1, "desk 1", chair="wchair_n")
        desk(b, left + 4, 1, "desk 2", chair="wchair_n")
        bookshelf(b, left + 3, 1, alt=left == 8)
        rug(b, left + 1, 3, "cream" if left == 8 else "teal", width=4)
    bathroom(b, toilet=(23, 1), shower=(24, 1), sink=(22, 1))
    b.put(24, 4, "plant")
    # lounge
    sofa(b, 5, 6)
    rug(b, 5, 7, "orange")
    tv(b, 6, 8, use=(6, 7))
    bookshelf(b, 11, 6)
    bookshelf(b, 12, 6, "bookshelf 2", alt=True)
    plant(b, 1, 6)
    big_table(b, 9, 9, "table", chairs="wchair")
    plant(b, 1, 11, alt=True)
    # common kitchen
    kitchen_run(b, 18, 6, "FlSr")
    b.put(23, 6, "stove")
    b.thing("stove", "stove", 23, 6, use=(23, 7), states="off,on")
    b.put(24, 6, "counter1_doors")
    oval_table(b, 19, 9)
    plant(b, 15, 11)
    plant(b, 24, 11, alt=True)
    return b


def rowan_cottage(c: Canvas, x: int, y: int) -> Building:
    """A couple's cottage with a painting studio."""
    b = Building(
        c,
        "Rowan Cottage",
        x,
        y,
        """
###############
#BBBBB#SSSSSSS#
#BBBBB#SSSSSSS#
#BBBBB#SSSSSSS#
#BBBBB#SSSSSSS#
##+#####+######
#KKKKKKKKK#WWW#
#KKKKKKKKK#WWW#
#KKKKKKKKK+WWW#
#KKKKKKKKK#WWW#
########++#####
""",
        {
            "B": ("bedroom", GREEN),
            "S": ("studio", WOOD),
            "K": ("kitchen", TILE),
            "W": ("bathroom", GREY),
        },
        wall="wall_red",
    )
    b.put(1, 1, "cabinet")
    double_bed(b, 2, 1, "green")
    plant(b, 5, 1)
    rug(b, 2, 3, "orange")
    # studio
    bookshelf(b, 7, 1)
    sideboard(b, 11, 1, ["shelf_jars"])
    b.put(10, 2, "easel")
    b.thing("easel", "easel", 10, 2, use=(10, 3))
    b.put(12, 3, "easel")
    plant(b, 7, 4, alt=True)
    rug(b, 9, 4, "cream")
    # kitchen
    kitchen_run(b, 3, 6, "FlSrT")
    plant(b, 9, 6)
    oval_table(b, 2, 8)
    # bathroom
    bathroom(b, toilet=(11, 6), sink=(12, 6), shower=(13, 6), bath=(12, 9))
    return b


def fenwick_house(c: Canvas, x: int, y: int) -> Building:
    """Family house, 3 beds."""
    b = Building(
        c,
        "Fenwick House",
        x,
        y,
        """
##################
#BBBBB#SSSS#KKKKK#
#BBBBB#SSSS#KKKKK#
#BBBBB#SSSS#KKKKK#
#BBBBB#SSSS#KKKKK#
##+#####+###KKKKK#
#LLLLLLLLLL+KKKKK#
#LLLLLLLLLL#######
#LLLLLLLLLL#WWWWW#
#LLLLLLLLLL+WWWWW#
#LLLLLLLLLL#WWWWW#
#####++###########
""",
        {
            "B": ("bedroom", WOOD),
            "S": ("small bedroom", GREEN),
            "K": ("kitchen", TILE),
            "L": ("living room", ORANGE),
            "W": ("bathroom", GREY),
        },
        wall="wall_grey",
    )
    b.put(1, 1, "cabinet")
    double_bed(b, 2, 1, "green")
    plant(b, 5, 1)
    rug(b, 2, 3, "teal")
    b.bed("bed 1", 7, 1, "bed_orange")
    desk(b, 9, 1)
    plant(b, 10, 1, alt=True)
    kitchen_run(b, 12, 1, "FlSrT")
    oval_table(b, 13, 3)
    plant(b, 16, 6)
    sofa(b, 3, 6)
    rug(b, 3, 7, "orange")
    tv(b, 4, 8, use=(4, 7))
    bookshelf(b, 6, 6)
    plant(b, 1, 6, alt=True)
    b.put(7, 9, "chair_e", block=False)
    b.put(8, 9, "table_small_round")
    b.put(9, 9, "chair_w", block=False)
    bathroom(b, toilet=(13, 8), sink=(14, 8), shower=(16, 8), bath=(15, 10))
    return b


def cedar_apartments(c: Canvas, x: int, y: int) -> Building:
    """Four single apartments around a shared kitchen, one shared bathroom."""
    b = Building(
        c,
        "Cedar Apartments",
        x,
        y,
        """
#########################
#AAAAAA#KKKKKKKKK#CCCCCC#
#AAAAAA#KKKKKKKKK#CCCCCC#
#AAAAAA+KKKKKKKKK+CCCCCC#
#AAAAAA#KKKKKKKKK#CCCCCC#
#AAAAAA#KKKKKKKKK#CCCCCC#
########KKKKKKKKK########
#BBBBBB+KKKKKKKKK+DDDDDD#
#BBBBBB######HHHH#DDDDDD#
#BBBBBB#WWWW#HHHH#DDDDDD#
#BBBBBB#WWWW+HHHH#DDDDDD#
#BBBBBB#WWWW#HHHH#DDDDDD#
##############++#########
""",
        {
            "A": ("apartment 1", ORANGE),
            "C": ("apartment 2", GREEN),
            "B": ("apartment 3", GREEN),
            "D": ("apartment 4", WOOD),
            "K": ("shared kitchen", TILE),
            "H": ("shared kitchen", TILE),
            "W": ("bathroom", GREY),
        },
        wall="wall_beige",
    )
    # apartment 1 (door east at y=3)
    b.bed("bed 1", 1, 1, "bed_orange")
    desk(b, 3, 1)
    bookshelf(b, 4, 1)
    plant(b, 6, 1)
    rug(b, 2, 4, "orange")
    # apartment 2 (door west at y=3)
    b.bed("bed 1", 23, 1, "bed_green")
    desk(b, 21, 1)
    bookshelf(b, 20, 1, alt=True)
    plant(b, 18, 1, alt=True)
    rug(b, 20, 4, "green")
    # apartment 3 (door east at y=7)
    b.bed("bed 1", 1, 7, "bed_green")
    b.put(2, 7, "cabinet")
    bookshelf(b, 3, 7)
    desk(b, 4, 7)
    rug(b, 2, 10, "teal")
    plant(b, 1, 11)
    # apartment 4 (door west at y=7)
    b.bed("bed 1", 23, 7, "bed_orange")
    b.put(22, 7, "cabinet")
    bookshelf(b, 21, 7, alt=True)
    desk(b, 20, 7)
    rug(b, 19, 10, "orange")
    plant(b, 23, 11, alt=True)
    # shared kitchen
    plant(b, 8, 1)
    kitchen_run(b, 9, 1, "FlSdbrT")
    plant(b, 16, 1, alt=True)
    big_table(b, 11, 4)
    plant(b, 13, 11)
    # bathroom
    bathroom(b, toilet=(8, 9), sink=(9, 9), shower=(11, 9), bath=(8, 11))
    return b


def mill_cottage(c: Canvas, x: int, y: int) -> Building:
    """A single resident's cottage."""
    b = Building(
        c,
        "Mill Cottage",
        x,
        y,
        """
############
#BBBBB#WWWW#
#BBBBB#WWWW#
#BBBBB#WWWW#
###+####+###
#KKKKKKKKKK#
#KKKKKKKKKK#
#KKKKKKKKKK#
#KKKKKKKKKK#
####++######
""",
        {"B": ("bedroom", ORANGE), "W": ("bathroom", GREY), "K": ("kitchen", TILE)},
        wall="wall_red",
    )
    b.bed("bed 1", 1, 1, "bed_orange")
    b.put(2, 1, "cabinet")
    bookshelf(b, 5, 1)
    rug(b, 2, 2, "green")
    bathroom(b, toilet=(7, 1), sink=(8, 1), shower=(10, 1), bath=(9, 3))
    b.put(1, 5, "fridge")
    b.thing("fridge", "fridge", 1, 5, use=(1, 6))
    b.put(2, 5, "stove")
    b.thing("stove", "stove", 2, 5, use=(2, 6), states="off,on")
    kitchen_run(b, 4, 5, "lSr")
    plant(b, 7, 5, alt=True)
    plant(b, 10, 5)
    oval_table(b, 7, 7)
    b.put(1, 8, "chair_e", block=False)
    return b


def lantern_house(c: Canvas, x: int, y: int) -> Building:
    """A couple's house with a piano in the living room."""
    b = Building(
        c,
        "Lantern House",
        x,
        y,
        """
#################
#BBBBBB#WWW#KKKK#
#BBBBBB#WWW#KKKK#
#BBBBBB#WWW#KKKK#
#BBBBBB#WWW#KKKK#
###+#####+##KKKK#
#LLLLLLLLLL+KKKK#
#LLLLLLLLLL+KKKK#
#LLLLLLLLLL#KKKK#
#LLLLLLLLLL#KKKK#
######++#########
""",
        {
            "B": ("bedroom", WOOD),
            "W": ("bathroom", GREY),
            "K": ("kitchen", TILE),
            "L": ("living room", GREEN),
        },
        wall="wall_grey",
    )
    b.put(1, 1, "cabinet")
    double_bed(b, 2, 1, "orange")
    sideboard(b, 5, 1, [])
    rug(b, 2, 3, "cream")
    bathroom(b, toilet=(8, 1), sink=(9, 1), shower=(10, 1))
    b.put(12, 1, "fridge")
    b.thing("fridge", "fridge", 12, 1, use=(12, 2))
    b.put(13, 1, "stove")
    b.thing("stove", "stove", 13, 1, use=(13, 2), states="off,on")
    b.put(14, 1, "counter1_sink")
    b.thing("sink", "sink", 14, 1, use=(14, 2), states="off,on")
    b.put(15, 1, "counter1_doors")
    oval_table(b, 13, 4)
    plant(b, 15, 9)
    # living room
    b.row(5, 6, ["piano_tl", "piano_tr"])
    b.row(5, 7, ["piano_bl", "piano_br"])
    b.thing("piano", "piano", 5, 6, 2, 2, use=(5, 8))
    b.put(5, 8, "chair_n", block=False)
    sofa(b, 1, 8)
    bookshelf(b, 8, 6)
    plant(b, 1, 6, alt=True)
    plant(b, 10, 9)
    rug(b, 7, 8, "green")
    return b
