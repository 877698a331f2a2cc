"""The tile sheets and the named tiles the town uses, each checked by eye against its sheet.

A tile is named by ``(sheet, column, row)``. Columns and rows count tiles, not pixels; the
sheets with 1 px spacing (Roguelike Interior) are handled by the tileset's ``spacing``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sheet:
    """One tileset image under assets/."""

    key: str
    path: str  # relative to the repository root
    columns: int
    rows: int
    spacing: int
    width: int  # image size in px
    height: int


SHEETS: dict[str, Sheet] = {
    s.key: s
    for s in (
        Sheet("city", "assets/kenney/roguelike-city/city_tilemap.png", 37, 28, 0, 592, 448),
        Sheet(
            "interior",
            "assets/kenney/roguelike-interior/interior_tilemap.png",
            27,
            18,
            1,
            458,
            305,
        ),
        Sheet("urban", "assets/kenney/rpg-urban/urban_tilemap.png", 27, 18, 0, 432, 288),
        Sheet("extras", "assets/aga_extras.png", 10, 1, 0, 160, 16),
    )
}

T = tuple[str, int, int]


def _c(col: int, row: int) -> T:
    return ("city", col, row)


def _i(col: int, row: int) -> T:
    return ("interior", col, row)


def _u(col: int, row: int) -> T:
    return ("urban", col, row)


def _x(col: int) -> T:
    return ("extras", col, 0)


TILES: dict[str, T] = {
    # --- ground (Roguelike City) -------------------------------------------------
    "grass": _c(0, 24),
    "grass2": _c(1, 24),
    "gravel": _c(2, 24),
    "gravel2": _c(3, 24),
    "dirt": _c(4, 24),
    "dirt2": _c(5, 24),
    "sand": _c(6, 24),
    "sand2": _c(7, 24),
    "cobble": _c(8, 24),
    "grass_stones": _c(25, 4),
    # dirt patch in grass: 9-patch + inner corners (notch = the grass diagonal)
    "dirt_tl": _c(10, 25),
    "dirt_t": _c(11, 25),
    "dirt_tr": _c(12, 25),
    "dirt_l": _c(10, 26),
    "dirt_c": _c(11, 26),
    "dirt_r": _c(12, 26),
    "dirt_bl": _c(10, 27),
    "dirt_b": _c(11, 27),
    "dirt_br": _c(12, 27),
    "dirt_in_br": _c(13, 25),
    "dirt_in_bl": _c(14, 25),
    "dirt_in_tr": _c(13, 26),
    "dirt_in_tl": _c(14, 26),
    # roads and pavements
    "asphalt": _c(11, 19),
    "road_dash_h": _c(9, 19),  # dashed centre line running east-west
    "road_dash_v": _c(10, 21),  # dashed centre line running north-south
    "zebra_v": _c(12, 22),  # crossing over an east-west road (stripes run north-south)
    "zebra_h": _c(9, 22),  # crossing over a north-south road
    "pave": _c(1, 19),  # grey sidewalk
    "pave_curb_s": _c(1, 22),  # grey sidewalk, kerb on its south edge
    "pave_beige": _c(4, 19),
    "pave_light": _c(7, 19),
    # square paving (RPG Urban): beige slabs with a lilac stone border
    "sq_tl": _u(0, 3),
    "sq_t": _u(1, 3),
    "sq_tr": _u(2, 3),
    "sq_l": _u(0, 4),
    "sq_c": _u(1, 4),
    "sq_r": _u(2, 4),
    "sq_bl": _u(0, 5),
    "sq_b": _u(1, 5),
    "sq_br": _u(2, 5),
    "sq_in_br": _u(5, 3),
    "sq_in_bl": _u(6, 3),
    "sq_in_tr": _u(5, 4),
    "sq_in_tl": _u(6, 4),
    # --- floors and walls ----------------------------------------------------------
    "floor_wood": _c(24, 4),  # pale wooden boards
    "floor_orange": _i(24, 1),  # orange planks
    "floor_green": _i(24, 5),  # green carpet planks
    "floor_tile": _c(25, 1),  # beige tiles with grout
    "floor_grey": _c(17, 1),  # light grey tiles
    "floor_red": _c(1, 1),  # terracotta tiles
    "floor_stone": _u(1, 4),  # beige flagstones
    "floor_slate": _u(9, 4),  # light grey flagstones
    "floor_sand": _c(29, 1),  # plain beige tiles
    "wall_red": _c(2, 5),  # red brick
    "wall_grey": _c(6, 5),  # grey brick
    "wall_beige": _c(10, 5),  # sand brick
    # --- kitchen counters, 3/4 view: left end, middles, right end --------------------
    "counter_l": _i(0, 12),
    "counter_drawers": _i(1, 12),
    "counter_doors": _i(2, 12),
    "counter_open": _i(3, 12),
    "counter_plates": _i(4, 12),
    "counter_bottles": _i(5, 12),
    "counter_bottles2": _i(6, 12),
    "counter_jars": _i(7, 12),
    "counter_sink": _i(8, 12),
    "counter_r": _i(9, 12),
    "counter1_sink": _i(8, 14),  # a sink unit on its own
    "counter1_doors": _i(2, 14),
    "stove": _i(14, 14),
    "stove2": _i(15, 14),
    # sideboard run (no stone top): left end, middles, right end
    "shelf_l": _i(0, 17),
    "shelf_drawers": _i(1, 17),
    "shelf_doors": _i(2, 17),
    "shelf_open": _i(3, 17),
    "shelf_plates": _i(4, 17),
    "shelf_bottles": _i(5, 17),
    "shelf_bottles2": _i(6, 17),
    "shelf_jars": _i(7, 17),
    "shelf_r": _i(8, 17),
    "cabinet": _i(2, 15),
    "cabinet_bottles": _i(5, 15),
    "cabinet_bottles2": _i(6, 15),
    "cabinet_jars": _i(7, 15),
    # counter seen from above (bars, shop and cafe counters)
    "bar_l": _i(23, 10),
    "bar_m": _i(24, 10),
    "bar_r": _i(25, 10),
    "bar_1": _i(26, 10),
    # --- tables, desks, chairs --------------------------------------------------------
    "table_big_tl": _i(0, 0),
    "table_big_t": _i(1, 0),
    "table_big_tr": _i(2, 0),
    "table_big_bl": _i(0, 1),
    "table_big_b": _i(1, 1),
    "table_big_br": _i(2, 1),
    "table_oval_tl": _i(3, 0),
    "table_oval_tr": _i(4, 0),
    "table_oval_bl": _i(3, 1),
    "table_oval_br": _i(4, 1),
    "table_round": _i(7, 0),
    "table_small": _i(4, 2),
    "table_small2": _i(5, 2),
    "table_small_round": _i(6, 2),
    "desk_l": _i(4, 4),
    "desk_m": _i(5, 4),
    "desk_r": _i(6, 4),
    "desk": _i(7, 4),
    "cloth_tl": _i(16, 8),  # table with an orange cloth, 3x2
    "cloth_t": _i(17, 8),
    "cloth_tr": _i(18, 8),
    "cloth_bl": _i(16, 9),
    "cloth_b": _i(17, 9),
    "cloth_br": _i(18, 9),
    "gcloth_tl": _i(16, 10),  # green cloth, 3x2
    "gcloth_t": _i(17, 10),
    "gcloth_tr": _i(18, 10),
    "gcloth_bl": _i(16, 11),
    "gcloth_b": _i(17, 11),
    "gcloth_br": _i(18, 11),
    "cloth_oval_tl": _i(19, 8),
    "cloth_oval_tr": _i(20, 8),
    "cloth_oval_bl": _i(19, 9),
    "cloth_oval_br": _i(20, 9),
    "chair_s": _i(0, 2),  # faces south (seat towards the viewer)
    "chair_n": _i(1, 2),  # faces north (back towards the viewer)
    "chair_e": _i(2, 2),
    "chair_w": _i(3, 2),
    "wchair_s": _i(0, 4),  # plain wooden chairs
    "wchair_n": _i(1, 4),
    "wchair_e": _i(2, 4),
    "wchair_w": _i(3, 4),
    "mchair_s": _i(0, 8),  # white metal chairs
    "mchair_n": _i(1, 8),
    "mchair_e": _i(2, 8),
    "mchair_w": _i(3, 8),
    # --- beds (headboard at the top) ----------------------------------------------------
    "bed_orange": _i(9, 6),
    "bed_green": _i(9, 7),
    "bed_cream": _i(8, 8),
    "bed2_orange_l": _i(14, 6),
    "bed2_orange_r": _i(15, 6),
    "bed2_green_l": _i(12, 7),
    "bed2_green_r": _i(13, 7),
    "cot_orange": _i(14, 10),
    "cot_green": _i(14, 12),
    # --- living ---------------------------------------------------------------------------
    "sofa_l": _i(4, 7),
    "sofa_m": _i(5, 7),
    "sofa_r": _i(7, 7),
    "pew_l": _i(4, 6),
    "pew_m": _i(5, 6),
    "pew_r": _i(7, 6),
    "piano_tl": _i(23, 8),
    "piano_tr": _i(24, 8),
    "piano_bl": _i(23, 9),
    "piano_br": _i(24, 9),
    "plant": _i(16, 0),
    "plant2": _i(17, 0),
    "rug_teal_l": _i(16, 14),
    "rug_teal_m": _i(17, 14),
    "rug_teal_r": _i(18, 14),
    "rug_orange_l": _i(16, 15),
    "rug_orange_m": _i(17, 15),
    "rug_orange_r": _i(18, 15),
    "rug_green_l": _i(16, 16),
    "rug_green_m": _i(17, 16),
    "rug_green_r": _i(18, 16),
    "rug_cream_l": _i(16, 17),
    "rug_cream_m": _i(17, 17),
    "rug_cream_r": _i(18, 17),
    "mat_green": _i(19, 12),
    "mat_orange": _i(19, 13),
    "mat_teal": _i(19, 14),
    "mirror_t": _i(22, 14),
    "mirror_b": _i(22, 15),
    "picture_green": _i(16, 12),
    "picture_orange": _i(17, 13),
    # --- bathroom (RPG Urban pool pieces read as shower tray and bath) -----------------
    "shower": _u(14, 8),
    "bath_l": _u(12, 8),
    "bath_r": _u(13, 8),
    # --- outdoors props ----------------------------------------------------------------
    "hedge_l": _u(4, 12),
    "hedge_m": _u(5, 12),
    "hedge_r": _u(6, 12),
    "crate_apples": _u(4, 11),
    "crate_greens": _u(5, 11),
    "crate_mixed": _u(6, 10),
    "crates_top": _u(7, 10),
    "crates_bottom": _u(7, 11),
    "tree_top_light": _c(31, 10),
    "tree_trunk_light": _c(31, 11),
    "tree_top_autumn": _c(32, 10),
    "tree_trunk_autumn": _c(32, 11),
    "tree_top_dark": _c(33, 10),
    "tree_trunk_dark": _c(33, 11),
    "tree_top_lime": _c(34, 10),
    "tree_trunk_lime": _c(34, 11),
    "tree_top_amber": _c(35, 10),
    "tree_trunk_amber": _c(35, 11),
    "tree_top_pine": _c(36, 10),
    "tree_trunk_pine": _c(36, 11),
    "planter_tree_light": _c(31, 12),
    "planter_tree_autumn": _c(32, 12),
    "planter_tree_dark": _c(33, 12),
    "bush_light": _c(31, 13),
    "bush_autumn": _c(32, 13),
    "bush_dark": _c(33, 13),
    "bush_lime": _c(34, 13),
    "bush_amber": _c(35, 13),
    "bush_pine": _c(36, 13),
    "bench2_l": _c(17, 15),
    "bench2_r": _c(18, 15),
    "bench1": _c(15, 15),
    "stone_bench": _c(26, 7),
    "bin": _c(15, 13),
    "bin_wood": _c(16, 13),
    "hydrant": _c(15, 14),
    "box_open": _c(13, 15),
    "box": _c(13, 16),
    "boxes": _c(13, 17),
    "box2": _c(14, 16),
    "boxes2": _c(14, 17),
    "produce_empty": _c(9, 18),
    "produce_oranges": _c(10, 18),
    "produce_greens": _c(11, 18),
    "lamp_head": _c(1, 16),
    "lamp_pole": _c(1, 17),
    "lamp_base": _c(1, 18),
    "garden_lamp_top": _c(4, 17),
    "garden_lamp_base": _c(4, 18),
    "planter_tl": _c(32, 0),
    "planter_t": _c(33, 0),
    "planter_tr": _c(34, 0),
    "planter_l": _c(32, 1),
    "planter_c": _c(33, 1),
    "planter_r": _c(34, 1),
    "planter_bl": _c(32, 2),
    "planter_b": _c(33, 2),
    "planter_br": _c(34, 2),
    "pool_tl": _c(26, 4),
    "pool_t": _c(27, 4),
    "pool_tr": _c(28, 4),
    "pool_l": _c(26, 5),
    "pool_c": _c(27, 5),
    "pool_r": _c(28, 5),
    "pool_bl": _c(26, 6),
    "pool_b": _c(27, 6),
    "pool_br": _c(28, 6),
    "fountain_tl": _c(29, 4),
    "fountain_tr": _c(30, 4),
    "fountain_bl": _c(29, 5),
    "fountain_br": _c(30, 5),
    "blackboard_l": _c(31, 6),
    "blackboard_m": _c(32, 6),
    "blackboard_r": _c(33, 6),
    "fence_l": _u(4, 14),
    "fence_m": _u(5, 14),
    "fence_r": _u(6, 14),
    "hedge_1": _u(7, 12),
    "cart_top_green": _c(34, 14),
    "cart_green": _c(34, 15),
    "cart_top_orange": _c(35, 14),
    "cart_orange": _c(35, 15),
    "car_green_tl": _c(31, 16),
    "car_green_t": _c(32, 16),
    "car_green_tr": _c(33, 16),
    "car_green_bl": _c(31, 17),
    "car_green_b": _c(32, 17),
    "car_green_br": _c(33, 17),
    "car_grey_tl": _c(34, 20),
    "car_grey_t": _c(35, 20),
    "car_grey_tr": _c(36, 20),
    "car_grey_bl": _c(34, 21),
    "car_grey_b": _c(35, 21),
    "car_grey_br": _c(36, 21),
    "car_orange_tl": _c(31, 24),
    "car_orange_t": _c(32, 24),
    "car_orange_tr": _c(33, 24),
    "car_orange_bl": _c(31, 25),
    "car_orange_b": _c(32, 25),
    "car_orange_br": _c(33, 25),
    "mailbox": _u(8, 11),
    "water_tl": _u(8, 6),
    "water_t": _u(9, 6),
    "water_tr": _u(10, 6),
    "water_l": _u(8, 7),
    "water_c": _u(9, 7),
    "water_r": _u(10, 7),
    "water_bl": _u(8, 8),
    "water_b": _u(9, 8),
    "water_br": _u(10, 8),
    "awning_green_l": _c(24, 12),
    "awning_green_m": _c(25, 12),
    "awning_green_r": _c(26, 12),
    "awning_orange_l": _c(27, 12),
    "awning_orange_m": _c(28, 12),
    "awning_orange_r": _c(30, 12),
    "window": _c(25, 15),
    "window_wide": _c(27, 15),
    "window_cross": _c(26, 16),
    "register": _c(12, 17),
    # --- drawn for this project (assets/aga_extras.png) -------------------------------
    "collision": _x(0),
    "toilet": _x(1),
    "fridge": _x(2),
    "bookshelf": _x(3),
    "bookshelf2": _x(4),
    "easel": _x(5),
    "tv": _x(6),
    "vegetables": _x(7),
    "flowers": _x(8),
    "flowers2": _x(9),
}


def gid_order() -> list[str]:
    """Sheet keys in the order their tilesets appear in the TMX file."""
    return list(SHEETS)
