"""Moved links fixed everywhere: a redirected source, or a whole outlet, rewritten in every citing article."""
