"""Viewport: which part of the zoomed map is on screen; follows a point, converts coordinates."""

from __future__ import annotations

__all__ = ["Viewport"]


class Viewport:
    """A screen-sized window onto the map, in zoomed map pixels.

    Args:
        view_size: screen width and height in pixels.
        map_tiles: map width and height in tiles.
        tile_px: one tile's size on screen (tile size times zoom).
    """

    def __init__(
        self, view_size: tuple[int, int], map_tiles: tuple[int, int], tile_px: int
    ) -> None:
        if tile_px < 1:
            raise ValueError(f"tile_px must be >= 1, got {tile_px}")
        self.width, self.height = int(view_size[0]), int(view_size[1])
        self.map_w = int(map_tiles[0]) * tile_px
        self.map_h = int(map_tiles[1]) * tile_px
        self.tile_px = tile_px
        self.x = 0
        self.y = 0

    def follow(self, tx: float, ty: float) -> None:
        """Centre the view on tile point ``(tx, ty)``, clamped to the map (a map smaller
        than the screen is centred)."""
        self.x = self._clamp(round(tx * self.tile_px - self.width / 2), self.map_w, self.width)
        self.y = self._clamp(round(ty * self.tile_px - self.height / 2), self.map_h, self.height)

    @staticmethod
    def _clamp(value: int, size: int, view: int) -> int:
        if size <= view:
            return -(view - size) // 2
        return max(0, min(size - view, value))

    def to_screen(self, tx: float, ty: float) -> tuple[int, int]:
        """Screen pixel of tile point ``(tx, ty)``."""
        return (round(tx * self.tile_px) - self.x, round(ty * self.tile_px) - self.y)

    def to_tile(self, sx: float, sy: float) -> tuple[float, float]:
        """Tile point under screen pixel ``(sx, sy)``."""
        return ((sx + self.x) / self.tile_px, (sy + self.y) / self.tile_px)

    def visible(self, tx: float, ty: float, margin: float = 2.0) -> bool:
        """Whether tile point ``(tx, ty)`` is on screen (within ``margin`` tiles)."""
        px, py = tx * self.tile_px - self.x, ty * self.tile_px - self.y
        m = margin * self.tile_px
        return -m <= px <= self.width + m and -m <= py <= self.height + m

    def source_rect(self) -> tuple[int, int, int, int]:
        """The map-pixel rectangle ``(x, y, w, h)`` on screen, clipped to the map."""
        x0, y0 = max(0, self.x), max(0, self.y)
        x1 = min(self.map_w, self.x + self.width)
        y1 = min(self.map_h, self.y + self.height)
        return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))

    def dest_pos(self) -> tuple[int, int]:
        """Where the clipped source rectangle goes on screen."""
        return (max(0, -self.x), max(0, -self.y))
