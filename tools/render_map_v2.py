"""Render a Tiled TMX map (all visible tile layers, in file order) to a PNG with pygame.

Usage: ``python tools/render_map_v2.py maps/town_v2.tmx docs/town_v2.png [--zoom 2]
[--crop X Y W H] [--grid]``. ``--crop`` takes tile units; ``--grid`` overlays a 1-tile grid
with coordinates every 10 tiles (for checking placements by eye).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def render(
    tmx_path: str,
    out_path: str,
    *,
    zoom: int = 1,
    crop: tuple[int, int, int, int] | None = None,
    grid: bool = False,
) -> tuple[int, int]:
    """Draw ``tmx_path`` into ``out_path``; returns the image size in pixels."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame
    import pytmx
    from pytmx.util_pygame import load_pygame

    pygame.display.init()
    pygame.display.set_mode((1, 1))
    tmx = load_pygame(tmx_path)
    tw, th = tmx.tilewidth, tmx.tileheight
    x0, y0, w, h = crop or (0, 0, tmx.width, tmx.height)
    surface = pygame.Surface((w * tw, h * th), pygame.SRCALPHA)
    surface.fill((24, 24, 28, 255))
    for layer in tmx.visible_layers:
        if not isinstance(layer, pytmx.TiledTileLayer):
            continue
        for x, y, image in layer.tiles():
            if x0 <= x < x0 + w and y0 <= y < y0 + h:
                surface.blit(image, ((x - x0) * tw, (y - y0) * th))
    if zoom != 1:
        surface = pygame.transform.scale(surface, (w * tw * zoom, h * th * zoom))
    if grid:
        font = pygame.font.Font(None, 10 * zoom)
        step = tw * zoom
        for i in range(w + 1):
            color = (255, 255, 255, 140) if (x0 + i) % 10 == 0 else (0, 0, 0, 50)
            pygame.draw.line(surface, color, (i * step, 0), (i * step, h * step))
        for j in range(h + 1):
            color = (255, 255, 255, 140) if (y0 + j) % 10 == 0 else (0, 0, 0, 50)
            pygame.draw.line(surface, color, (0, j * step), (w * step, j * step))
        for i in range(w):
            for j in range(h):
                if (x0 + i) % 10 == 0 and (y0 + j) % 10 == 0:
                    label = font.render(f"{x0 + i},{y0 + j}", True, (255, 255, 0))
                    surface.blit(label, (i * step + 1, j * step + 1))
    tmp = out_path + ".tmp.png"
    pygame.image.save(surface, tmp)
    os.replace(tmp, out_path)
    return surface.get_size()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tmx")
    parser.add_argument("out")
    parser.add_argument("--zoom", type=int, default=1)
    parser.add_argument("--crop", type=int, nargs=4, metavar=("X", "Y", "W", "H"))
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args(argv)
    size = render(
        args.tmx,
        args.out,
        zoom=args.zoom,
        crop=tuple(args.crop) if args.crop else None,
        grid=args.grid,
    )
    print(f"wrote {args.out} ({size[0]}x{size[1]} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
