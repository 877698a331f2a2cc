"""Place addresses: ``sector:arena:object`` with the ``@home`` / ``@work`` symbols, parsed,
symbolised and resolved in this one module.

A stored routine says ``@home:kitchen:stove`` so that it serves every agent in its own
home; an agent's plan says "at home"; the world says ``Brook House:kitchen:stove``. Every
conversion between the three goes through this module: :class:`Address` (parse, build,
symbolise, resolve), :func:`place_symbol` / :func:`resolve_place` for a sector and
:func:`resolve_address` for the hot path of world queries.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "HOME",
    "WORK",
    "Address",
    "place_label",
    "place_symbol",
    "resolve_address",
    "resolve_place",
]

HOME = "@home"
WORK = "@work"
SYMBOLS = (HOME, WORK)


def place_symbol(sector: str, *, home: str, work: str) -> str:
    """``@home`` / ``@work`` for the agent's own home / workplace sector, else the sector."""
    if sector and sector == home:
        return HOME
    if sector and work and sector == work:
        return WORK
    return sector


def resolve_place(place: str, *, home: str, work: str) -> str:
    """The real sector of a place symbol for one agent (the sector itself when not a
    symbol; "" when the agent has no workplace and ``place`` is ``@work``)."""
    if place == HOME:
        return home
    if place == WORK:
        return work
    return place


def resolve_address(address: str, *, home: str, work: str) -> str | None:
    """``address`` with a place symbol in its sector resolved for one agent.

    Text whose sector is no symbol comes back unchanged (it is not parsed: this is the
    cheap path for hot world queries; :meth:`Address.resolve` validates). None when the
    symbol means no place for the agent (``@work`` without a workplace).
    """
    sector, sep, rest = address.partition(":")
    if sector not in SYMBOLS:
        return address
    real = resolve_place(sector, home=home, work=work)
    return real + sep + rest if real else None


def place_label(symbol: str) -> str:
    """Words for a place symbol in a plan text: "at home", "at work", "at Juniper Cafe"."""
    if symbol == HOME:
        return "at home"
    if symbol == WORK:
        return "at work"
    return f"at {symbol}" if symbol else "anywhere"


@dataclass(frozen=True, slots=True)
class Address:
    """An object (or arena, or sector) address; the sector may be a place symbol.

    Attributes:
        sector: the building or area (or ``@home`` / ``@work``).
        arena: the room ("" for a whole sector).
        obj: the object's own name ("" for a whole arena).
    """

    sector: str
    arena: str = ""
    obj: str = ""

    def __post_init__(self) -> None:
        if not self.sector:
            raise ValueError("an address needs a sector")
        if self.obj and not self.arena:
            raise ValueError(f"address {self!s}: an object needs an arena")
        for part in (self.sector, self.arena, self.obj):
            if ":" in part:
                raise ValueError(f"address parts must not contain ':' ({part!r})")

    @classmethod
    def parse(cls, text: str) -> Address:
        """``"sector"``, ``"sector:arena"`` or ``"sector:arena:object"``.

        The object's own name may not contain ':'; surrounding spaces are kept as written
        (map names are exact).

        Raises:
            ValueError: empty text, an empty part or more than three parts.
        """
        parts = str(text).split(":")
        if len(parts) > 3 or any(not p for p in parts):
            raise ValueError(f"not an address (sector[:arena[:object]]): {text!r}")
        return cls(*parts)

    @classmethod
    def try_parse(cls, text: str) -> Address | None:
        """:meth:`parse`, or None for text that is not an address (e.g. "")."""
        try:
            return cls.parse(text)
        except ValueError:
            return None

    def __str__(self) -> str:
        return ":".join(p for p in (self.sector, self.arena, self.obj) if p)

    @property
    def is_object(self) -> bool:
        return bool(self.obj)

    @property
    def is_symbolic(self) -> bool:
        return self.sector in SYMBOLS

    @property
    def arena_key(self) -> tuple[str, str]:
        """(sector, arena)."""
        return (self.sector, self.arena)

    def with_sector(self, sector: str) -> Address:
        return Address(sector, self.arena, self.obj)

    def symbolise(self, *, home: str, work: str) -> Address:
        """The address with the agent's own home / workplace written as a symbol."""
        return self.with_sector(place_symbol(self.sector, home=home, work=work))

    def resolve(self, *, home: str, work: str) -> Address:
        """The address in the agent's own home / workplace (unchanged when not symbolic).

        Raises:
            ValueError: ``@work`` for an agent without a workplace.
        """
        sector = resolve_place(self.sector, home=home, work=work)
        if not sector:
            raise ValueError(f"{self!s}: the agent has no workplace")
        return self.with_sector(sector)
