"""The network designer (Design page): palette, canvas, inspector, summary and templates."""

from app.ui.designer.designer_view import DesignerView

__all__ = ["DesignerView"]
