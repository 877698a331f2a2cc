"""The demo town generator (tools/gen_town.py): catalogue, canvas, buildings, places, TMX."""
