"""Recipes: contractcore wired to real help desks, each an optional extra.

A recipe is the host code an integration needs, shipped so it is tested
against the real product: :mod:`contractcore.recipes.django_helpdesk`
(``pip install 'contractcore[django]'``) reads django-helpdesk's tickets and
follow-ups into SLA timelines. Nothing here is imported by the rest of
contractcore, and each recipe imports its product only when it is imported.
"""

from __future__ import annotations

__all__: list[str] = []
