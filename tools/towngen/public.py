"""The public buildings: cafe, town hall, grocery, pub and college, furnished."""

from __future__ import annotations

from towngen.building import Building
from towngen.canvas import Canvas
from towngen.furnish import (
    big_table,
    bookshelf,
    cafe_table,
    cloth_table,
    desk,
    kitchen_run,
    plant,
    rug,
)

WOOD, TILE, STONE, SLATE = "floor_wood", "floor_tile", "floor_stone", "floor_slate"
ORANGE, GREEN = "floor_orange", "floor_green"


def juniper_cafe(c: Canvas, x: int, y: int) -> Building:
    """Cafe with a counter by the kitchen door and small tables (front door south)."""
    b = Building(
        c,
        "Juniper Cafe",
        x,
        y,
        """
###################
#KKKKKKK#CCCCCCCCC#
#KKKKKKK#CCCCCCCCC#
#KKKKKKK#CCCCCCCCC#
#KKKKKKK#CCCCCCCCC#
####+####CCCCCCCCC#
#DDDDDDDDDDDDDDDDD#
#DDDDDDDDDDDDDDDDD#
#DDDDDDDDDDDDDDDDD#
#DDDDDDDDDDDDDDDDD#
#DDDDDDDDDDDDDDDDD#
########++#########
""",
        {"K": ("kitchen", TILE), "C": ("cafe", ORANGE), "D": ("cafe", ORANGE)},
        wall="wall_beige",
    )
    kitchen_run(b, 1, 1, "FlSdrTU")
    b.row(1, 3, ["bar_l", "bar_m", "bar_r"])
    plant(b, 7, 4)
    # counter with the staff aisle behind it
    b.row(1, 7, ["counter_l", "counter_jars", "counter_plates", "counter_bottles", "counter_r"])
    b.thing("counter", "counter", 1, 7, 5, 1, use=(3, 8), capacity=2)
    b.put(1, 6, "cabinet_bottles")
    b.put(2, 6, "cabinet_jars")
    tables = ((11, 2), (15, 2), (11, 4), (15, 4), (9, 8), (13, 8), (16, 9))
    for n, (tx, ty) in enumerate(tables, start=1):
        cafe_table(b, tx, ty, f"table {n}")
    plant(b, 9, 1)
    plant(b, 17, 1, alt=True)
    plant(b, 1, 10)
    plant(b, 17, 10, alt=True)
    rug(b, 11, 10, "orange")
    return b


def town_hall(c: Canvas, x: int, y: int) -> Building:
    """Offices with a reception hall, and a meeting room (front door south)."""
    b = Building(
        c,
        "Town Hall",
        x,
        y,
        """
#################
#OOOOOOO#MMMMMMM#
#OOOOOOO#MMMMMMM#
#OOOOOOO#MMMMMMM#
#OOOOOOO#MMMMMMM#
#OOOOOOO#MMMMMMM#
#OOOOOOO###+#####
#OOOOOOO+HHHHHHH#
#OOOOOOO#HHHHHHH#
#OOOOOOO#HHHHHHH#
###########++####
""",
        {"O": ("office", WOOD), "H": ("office", SLATE), "M": ("meeting room", WOOD)},
        wall="wall_grey",
    )
    bookshelf(b, 1, 1, "bookshelf 1")
    bookshelf(b, 2, 1, "bookshelf 2", alt=True)
    b.put(5, 1, "cabinet")
    b.put(6, 1, "cabinet_jars")
    plant(b, 7, 1)
    for n, (dx, dy) in enumerate(((2, 3), (5, 3), (2, 6), (5, 6)), start=1):
        desk(b, dx, dy, f"desk {n}")
    plant(b, 1, 9, alt=True)
    b.row(12, 8, ["counter_l", "counter_drawers", "counter_r"])
    b.thing("desk 5", "desk", 12, 8, 3, 1, use=(13, 9))
    plant(b, 15, 9)
    plant(b, 9, 9, alt=True)
    rug(b, 10, 9, "teal")
    big_table(b, 11, 2, "table")
    plant(b, 9, 1)
    plant(b, 15, 1, alt=True)
    bookshelf(b, 15, 4)
    return b


def grocery(c: Canvas, x: int, y: int) -> Building:
    """Shop floor with aisles and produce; a storeroom behind (front door north)."""
    b = Building(
        c,
        "Pine Street Grocery",
        x,
        y,
        """
####++############
#SSSSSSSSSSSSSSSS#
#SSSSSSSSSSSSSSSS#
#SSSSSSSSSSSSSSSS#
#SSSSSSSSSSSSSSSS#
#SSSSSSSSSSSSSSSS#
#SSSSSSSSSSSSSSSS#
#SSSSSSSSSSSSSSSS#
############+#####
#RRRRRRRRRRRRRRRR#
#RRRRRRRRRRRRRRRR#
#RRRRRRRRRRRRRRRR#
##################
""",
        {"S": ("store", TILE), "R": ("storeroom", WOOD)},
        wall="wall_red",
    )
    goods = ["shelf_bottles", "shelf_bottles2", "shelf_plates", "shelf_jars"]
    b.row(7, 1, ["shelf_l", *goods, *goods, "shelf_r"])
    b.thing("shelf 1", "shelf", 7, 1, 5, 1, use=(9, 2))
    b.thing("shelf 2", "shelf", 12, 1, 5, 1, use=(14, 2))
    n = 2
    for ay in (4, 6):
        b.row(7, ay, ["shelf_l", "shelf_jars", "shelf_bottles", "shelf_plates"])
        b.row(11, ay, ["shelf_bottles2", "shelf_jars", "shelf_bottles", "shelf_r"])
        for sx in (7, 11):
            n += 1
            b.thing(f"shelf {n}", "shelf", sx, ay, 4, 1, use=(sx + 1, ay + 1))
    b.col(16, 3, ["produce_oranges", "produce_greens", "crate_apples", "crate_greens"])
    n += 1
    b.thing(f"shelf {n}", "shelf", 16, 3, 1, 4, use=(15, 4))
    b.row(1, 4, ["counter_l", "counter_drawers", "counter_r"])
    b.thing("counter", "counter", 1, 4, 3, 1, use=(2, 5), capacity=2)
    plant(b, 1, 1)
    b.put(1, 7, "crates_bottom")
    b.put(2, 7, "crate_mixed")
    # storeroom
    b.row(1, 9, ["shelf_l", "shelf_open", "shelf_plates", "shelf_bottles", "shelf_open", "shelf_r"])
    b.thing("shelf", "shelf", 1, 9, 6, 1, use=(3, 10))
    for bx, by, t in (
        (14, 9, "boxes"),
        (15, 9, "boxes2"),
        (16, 9, "box"),
        (16, 10, "boxes"),
        (16, 11, "box2"),
        (15, 11, "boxes2"),
        (1, 11, "box_open"),
        (2, 11, "box"),
        (9, 11, "crates_bottom"),
        (10, 11, "crate_apples"),
    ):
        b.put(bx, by, t)
    return b


def copper_kettle(c: Canvas, x: int, y: int) -> Building:
    """The pub: bar with bottle shelves, tables, a piano; kitchen behind (front door north)."""
    b = Building(
        c,
        "The Copper Kettle",
        x,
        y,
        """
#######++########
#BBBBBBBBBBBBBBB#
#BBBBBBBBBBBBBBB#
#BBBBBBBBBBBBBBB#
#BBBBBBBBBBBBBBB#
#BBBBBBBBBBBBBBB#
#BBBBBBBBBBBBBBB#
#BBBBBBBBBBBBBBB#
##############+##
#KKKKKKKKKKKKKKK#
#KKKKKKKKKKKKKKK#
#KKKKKKKKKKKKKKK#
#################
""",
        {"B": ("bar room", ORANGE), "K": ("kitchen", TILE)},
        wall="wall_red",
    )
    b.row(
        9, 1, ["counter_l", "counter_bottles", "counter_bottles2", "counter_bottles", "counter_r"]
    )
    b.row(9, 3, ["counter_l", "counter_drawers", "counter_doors", "counter_drawers", "counter_r"])
    b.thing("bar", "bar", 9, 3, 5, 1, use=(11, 4), capacity=5)
    for sx in range(9, 14):
        b.put(sx, 4, "wchair_n", block=False)
    b.put(15, 2, "bin_wood")
    b.put(15, 3, "bin_wood")
    plant(b, 15, 1)
    b.row(1, 1, ["piano_tl", "piano_tr"])
    b.row(1, 2, ["piano_bl", "piano_br"])
    b.thing("piano", "piano", 1, 1, 2, 2, use=(1, 3))
    cafe_table(b, 6, 3, "table 1")
    cafe_table(b, 3, 5, "table 2")
    cloth_table(b, 9, 6, "table 3")
    cafe_table(b, 14, 6, "table 4")
    plant(b, 1, 7, alt=True)
    rug(b, 5, 7, "teal")
    # kitchen
    kitchen_run(b, 1, 9, "FlSdrTU")
    b.row(3, 11, ["bar_l", "bar_m", "bar_r"])
    b.put(15, 11, "crates_bottom")
    b.put(15, 10, "box")
    b.put(14, 11, "crate_greens")
    return b


def college(c: Canvas, x: int, y: int) -> Building:
    """Two classrooms, a library and an office around an entrance hall (door north)."""
    b = Building(
        c,
        "Alder College",
        x,
        y,
        """
##############+++##############
#AAAAAAAAAA#HHHHHHH#BBBBBBBBBB#
#AAAAAAAAAA#HHHHHHH#BBBBBBBBBB#
#AAAAAAAAAA#HHHHHHH#BBBBBBBBBB#
#AAAAAAAAAA+HHHHHHH+BBBBBBBBBB#
#AAAAAAAAAA#HHHHHHH#BBBBBBBBBB#
#AAAAAAAAAA#HHHHHHH#BBBBBBBBBB#
#AAAAAAAAAA#HHHHHHH#BBBBBBBBBB#
############HHHHHHH############
#LLLLLLLLLL#HHHHHHH#OOOOOOOOOO#
#LLLLLLLLLL#HHHHHHH#OOOOOOOOOO#
#LLLLLLLLLL+HHHHHHH+OOOOOOOOOO#
#LLLLLLLLLL#HHHHHHH#OOOOOOOOOO#
#LLLLLLLLLL#HHHHHHH#OOOOOOOOOO#
#LLLLLLLLLL#HHHHHHH#OOOOOOOOOO#
#LLLLLLLLLL#HHHHHHH#OOOOOOOOOO#
###############################
""",
        {
            "A": ("classroom A", WOOD),
            "B": ("classroom B", WOOD),
            "L": ("library", GREEN),
            "O": ("office", WOOD),
            "H": (None, "floor_red"),
        },
        wall="wall_beige",
    )
    for left in (1, 20):
        b.row(left + 3, 1, ["blackboard_l", "blackboard_m", "blackboard_r"])
        b.thing("blackboard", "blackboard", left + 3, 1, 3, 1, use=(left + 4, 2), capacity=1)
        n = 0
        for dy in (4, 6):
            for dx in (1, 3, 5, 7):
                n += 1
                desk(b, left + dx, dy, f"desk {n}", chair="wchair_n")
        plant(b, left, 1)
        plant(b, left + 9, 1, alt=True)
        bookshelf(b, left + 8, 1, alt=left == 20)
    # library
    for i in range(5):
        bookshelf(b, 1 + 2 * i, 9, f"bookshelf {i + 1}")
        b.put(2 + 2 * i, 9, "bookshelf2")
    big_table(b, 2, 12, "table 1", chairs="chair")
    big_table(b, 7, 12, "table 2", chairs="chair")
    plant(b, 1, 15)
    plant(b, 10, 15, alt=True)
    # office
    for i, dx in enumerate((21, 23, 25, 27)):
        desk(b, dx, 9, f"desk {i + 1}")
    bookshelf(b, 29, 9)
    b.row(26, 15, ["sofa_l", "sofa_m", "sofa_r"], block=False)
    plant(b, 29, 15)
    plant(b, 20, 15, alt=True)
    big_table(b, 22, 13, "table")
    # entrance hall
    for hx, hy in ((12, 1), (18, 1), (12, 15), (18, 15)):
        plant(b, hx, hy, alt=hy == 15)
    for hy in (6, 13):
        b.row(12, hy, ["pew_l", "pew_m", "pew_r"], block=False)
        b.row(16, hy, ["pew_l", "pew_m", "pew_r"], block=False)
    return b
